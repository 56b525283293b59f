#pragma once
// Test peers for the TLS probes: a per-process temp dir with the test PKI
// (make_pki.sh), `openssl s_server` on an ephemeral loopback port, and the
// probe harness's run_check() as these tests call it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/probes/peers/loopback.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::testing {

// The PKI (make_pki.sh), generated once per test run and shared by the test
// processes ctest starts (they have the same parent), under a lock. Old
// directories from earlier runs are removed.
inline const std::filesystem::path& pki_dir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    const fs::path base = VANTAGE_TLS_PKI_BASE;
    fs::create_directories(base);
    const std::string tag = "pki-" + std::to_string(::getppid());
    const fs::path d = base / tag;
    int lock = ::open((base / (tag + ".lock")).c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0)
      throw std::runtime_error("cannot lock the test PKI");
    std::error_code ec;
    const auto now = fs::file_time_type::clock::now();
    for (const auto& e : fs::directory_iterator(base, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("pki-", 0) != 0 || name.rfind(tag, 0) == 0) continue;
      if (now - fs::last_write_time(e.path(), ec) > std::chrono::hours(2))
        fs::remove_all(e.path(), ec);
    }
    if (fs::exists(d / "ok") && now - fs::last_write_time(d / "ok", ec) > std::chrono::hours(2))
      fs::remove_all(d, ec);  // certificate dates are relative to generation
    if (!fs::exists(d / "ok")) {
      fs::remove_all(d, ec);
      std::string cmd = std::string(VANTAGE_SOURCE_DIR) + "/tests/probes/peers/make_pki.sh " +
                        d.string() + " > /dev/null";
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_pki.sh failed");
      std::ofstream(d / "ok") << "ok\n";
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return d;
  }();
  return dir;
}
inline std::string pki(const std::string& file) {
  return (pki_dir() / file).string();
}

// `openssl s_server` (Debian's) with the given arguments; killed on destruction.
class SServer {
 public:
  explicit SServer(std::vector<std::string> args) {
    port_ = free_port();
    std::vector<std::string> argv = {"openssl", "s_server", "-accept",
                                     "127.0.0.1:" + std::to_string(port_), "-quiet"};
    argv.insert(argv.end(), args.begin(), args.end());
    int in[2];
    if (::pipe(in) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::close(in[1]);
      std::vector<char*> cargv;
      for (auto& s : argv) cargv.push_back(s.data());
      cargv.push_back(nullptr);
      ::execvp("openssl", cargv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    stdin_ = in[1];  // kept open: s_server must not see EOF on stdin
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!port_open(port_)) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("openssl s_server exited at start");
      }
      if (std::chrono::steady_clock::now() > until)
        throw std::runtime_error("s_server did not listen");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~SServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdin_ >= 0) ::close(stdin_);
  }
  SServer(const SServer&) = delete;
  SServer& operator=(const SServer&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::uint16_t port_ = 0;
};

// A check against 127.0.0.1:port (source 127.0.0.1), file paths in it
// relative to the test PKI: the probe harness with these tests' defaults.
inline CheckRun run_check(const std::string& probe, const std::string& check_json,
                          std::uint16_t port, std::string server_name = "",
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(15000)) {
  RunOptions o;
  o.port = port;
  o.target_name = "127.0.0.1";
  o.server_name = std::move(server_name);
  o.source_name = "lo";
  o.timeout = timeout;
  o.base_dir = pki_dir();
  return run_check(probe, check_json, o);
}

}  // namespace vantage::testing
