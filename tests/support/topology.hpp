#pragma once
// Test topologies from real parts: network namespaces, veth pairs, nft
// rulesets and processes, each owned by an RAII object that removes it by its
// own name or pid, even when the test fails. Names carry the pid so parallel
// test runs never collide. Only documentation address ranges are used.
#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace vantage::testing {

class Wire;

// Runs a shell command; throws std::runtime_error with its output on failure.
std::string sh(const std::string& cmd);  // trailing newlines trimmed
// Runs a shell command; returns its exit status (output discarded).
int sh_status(const std::string& cmd);

// A unique short tag for names: "<pid><counter>".
std::string unique_tag();

class Netns {
 public:
  explicit Netns(const std::string& role);  // vt-<role>-<tag>
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;
  const std::string& name() const { return name_; }
  // Runs a command inside the namespace (ip netns exec).
  std::string exec(const std::string& cmd) const;
  // Loads an nft ruleset (nft -f -) inside the namespace.
  void nft(const std::string& ruleset) const;
  // Applies the active link profile to every non-loopback interface of this
  // namespace, once (one `vantage wire`, stopped with the namespace).
  void impair();

 private:
  std::string name_;
  std::unique_ptr<Wire> wire_;
};

// A veth pair between two namespaces with one address (CIDR) on each end.
// Deleting the namespaces deletes the pair.
void veth(const Netns& a, const std::string& a_cidr, const Netns& b, const std::string& b_cidr);
// veth(), and the active link profile (link_profile.hpp) on `a`'s side: `a`
// is the router or server end, so traffic each way crosses one impaired hop.
void link(Netns& a, const std::string& a_cidr, const Netns& b, const std::string& b_cidr);

// A child process (argv, no shell), killed (SIGTERM, then SIGKILL) and
// reaped by pid on destruction.
class Process {
 public:
  explicit Process(std::vector<std::string> argv, const std::string& log_file = "");
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  pid_t pid() const { return pid_; }
  bool running();
  // Waits for exit up to `ms`; returns the exit status or -1 if still running.
  int wait(int ms);

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Waits until a TCP port accepts on ip (optionally inside a netns), up to ms.
bool wait_port(const std::string& ip, int port, int ms, const std::string& netns = "");

// Runs the vantage binary with args; returns exit code and fills out/err.
int run_vantage(const std::vector<std::string>& args, std::string* out = nullptr,
                std::string* err = nullptr);

// A whole file, as bytes; empty when it cannot be read.
std::string read_file(const std::string& path);

// A fresh temporary directory, removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& text) const;
  std::string read(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace vantage::testing

namespace vantage::testing {

// A real TCP listener inside a namespace (or the current one when netns is
// empty). close_at_once: accept, then close before sending anything (how a
// service address restriction can look).
class TcpListener {
 public:
  TcpListener(const std::string& netns, const std::string& ip, int port, bool close_at_once);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  int port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  void serve();
  int fd_ = -1;
  int port_ = 0;
  bool close_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace vantage::testing
