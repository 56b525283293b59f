#include "tests/support/topology.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "net/sockaddr.hpp"
#include "net/source.hpp"
#include "net/tcp_connect.hpp"
#include "tests/support/link_profile.hpp"

extern char** environ;

namespace vantage::testing {

std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + cmd);
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int st = ::pclose(p);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    throw std::runtime_error("command failed (" + std::to_string(WEXITSTATUS(st)) + "): " + cmd +
                             "\n" + out);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

int sh_status(const std::string& cmd) {
  int st = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string unique_tag() {
  static std::atomic<int> counter{0};
  return std::to_string(::getpid() % 100000) + std::to_string(counter++);
}

Netns::Netns(const std::string& role) : name_("vt-" + role + "-" + unique_tag()) {
  sh("ip netns add " + name_);
  sh("ip -n " + name_ + " link set lo up");
}

Netns::~Netns() {
  wire_.reset();  // SIGTERM first: it removes its rules and prints its counts
  // Processes started inside keep the namespace alive but not its name.
  sh_status("ip netns pids " + name_ + " | xargs -r kill -9");
  sh_status("ip netns del " + name_);
}

std::string Netns::exec(const std::string& cmd) const {
  return sh("ip netns exec " + name_ + " " + cmd);
}

void Netns::nft(const std::string& ruleset) const {
  const std::string file = "/tmp/vt-nft-" + unique_tag() + ".nft";
  { std::ofstream(file) << ruleset; }
  try {
    sh("ip netns exec " + name_ + " nft -f " + file);
  } catch (...) {
    std::filesystem::remove(file);
    throw;
  }
  std::filesystem::remove(file);
}

void Netns::impair() {
  if (wire_ || link_profile().ideal()) return;
  wire_ = std::make_unique<Wire>(name_, link_profile().wire_args());
}

void link(Netns& a, const std::string& a_cidr, const Netns& b, const std::string& b_cidr) {
  veth(a, a_cidr, b, b_cidr);
  a.impair();
}

void veth(const Netns& a, const std::string& a_cidr, const Netns& b, const std::string& b_cidr) {
  const std::string tag = unique_tag();
  const std::string va = "va" + tag, vb = "vb" + tag;  // <= 15 chars
  sh("ip link add " + va + " netns " + a.name() + " type veth peer name " + vb + " netns " +
     b.name());
  sh("ip -n " + a.name() + " addr add " + a_cidr + " dev " + va);
  sh("ip -n " + b.name() + " addr add " + b_cidr + " dev " + vb);
  sh("ip -n " + a.name() + " link set " + va + " up");
  sh("ip -n " + b.name() + " link set " + vb + " up");
}

Process::Process(std::vector<std::string> argv, const std::string& log_file) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  const std::string log = log_file.empty() ? "/dev/null" : log_file;
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  int rc = posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

bool Process::running() {
  return wait(0) == -1;
}

int Process::wait(int ms) {
  if (status_ != -1) return status_;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= until) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Process::~Process() {
  if (pid_ <= 0 || status_ != -1) return;
  ::kill(pid_, SIGTERM);
  if (wait(3000) == -1) {
    ::kill(pid_, SIGKILL);
    wait(3000);
  }
}

bool wait_port(const std::string& ip, int port, int ms, const std::string& netns) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  net::SourceSpec src;
  src.name = "probe";
  if (!netns.empty()) src.netns = netns;
  auto dst = net::SockAddr::parse(ip, static_cast<std::uint16_t>(port));
  if (!dst) return false;
  while (std::chrono::steady_clock::now() < until) {
    net::ConnectOptions opt;
    auto r = net::tcp_connect(src, *dst, opt, Deadline::in(std::chrono::milliseconds(300)));
    if (r.outcome == net::TcpOutcome::kOpen) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int run_vantage(const std::vector<std::string>& args, std::string* out, std::string* err) {
  TempDir tmp;
  std::string cmd = VANTAGE_BINARY;
  for (const auto& a : args) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += " " + q + "'";
  }
  cmd += " >" + tmp.file("out") + " 2>" + tmp.file("err") + " </dev/null";
  int st = std::system(cmd.c_str());
  if (out) *out = tmp.read("out");
  if (err) *err = tmp.read("err");
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "vt-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string& name, const std::string& text) const {
  std::ofstream(file(name), std::ios::binary) << text;
}

std::string TempDir::read(const std::string& name) const {
  std::ifstream in(file(name), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vantage::testing

#include <poll.h>
#include <sys/socket.h>

namespace vantage::testing {

TcpListener::TcpListener(const std::string& netns, const std::string& ip, int port,
                         bool close_at_once)
    : close_(close_at_once) {
  auto addr = net::SockAddr::parse(ip, static_cast<std::uint16_t>(port));
  if (!addr) throw std::runtime_error("bad listener address " + ip);
  std::optional<std::string> ns;
  if (!netns.empty()) ns = netns;
  net::run_in_netns(ns, [&] { fd_ = ::socket(addr->family(), SOCK_STREAM | SOCK_CLOEXEC, 0); });
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd_, addr->sa(), addr->len()) != 0 || ::listen(fd_, 128) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot listen on " + addr->to_string() + " in " + netns);
  }
  port_ = net::SockAddr::local_of(fd_)->port();
  thread_ = std::thread([this] { serve(); });
}

TcpListener::~TcpListener() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

void TcpListener::serve() {
  std::vector<int> held;
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    ++accepted_;
    if (close_ || held.size() >= 512) {
      ::close(c);
    } else {
      held.push_back(c);
    }
  }
  for (int c : held) ::close(c);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vantage::testing
