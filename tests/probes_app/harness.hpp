#pragma once
// Runs one application-probe check the way the engine does: parse the check
// JSON with the probe, observe from a loopback source, judge.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/json_config.hpp"
#include "core/unique_fd.hpp"
#include "lab/config.hpp"
#include "probes/probe.hpp"
#include "tests/support/link_profile.hpp"

namespace vantage::probes::testing {

struct Parsed {
  std::unique_ptr<CheckSpec> spec;
  std::vector<Diagnostic> diags;
  std::string errors() const {
    std::string s;
    for (const auto& d : diags) s += d.path + ": " + d.message + "\n";
    return s;
  }
};

inline Parsed parse_check(const std::string& probe, const std::string& text,
                          const std::string& base_dir = ".") {
  ConfigDoc doc = ConfigDoc::parse("check.json", text);
  Diagnostics d(doc);
  Parsed p;
  p.spec = find_probe(probe)->parse(doc.root(), JsonPath(), d, ParseEnv{base_dir});
  p.diags = d.list();
  return p;
}

struct Outcome {
  std::unique_ptr<Observation> obs;
  Verdict verdict;
  double elapsed_ms = 0;
  std::vector<RunState::Conn> connections;
  json evidence() const { return obs->evidence(); }
};

struct RunOptions {
  std::uint16_t port = 0;
  std::string source = "127.0.0.1";
  std::string source_name = "mgmt";
  std::chrono::milliseconds timeout{3000};
  int attempts = 1;
  std::string host = "127.0.0.1";
  std::string server_name;
};

// Parses (must be valid) and runs the check; an observation error never passes.
inline Outcome run_check(const std::string& probe, const std::string& text, const RunOptions& o) {
  Parsed p = parse_check(probe, text);
  if (!p.diags.empty()) throw std::runtime_error("invalid check: " + p.errors());
  Target t{"lab", o.host, o.server_name};
  net::SourceSpec src;
  src.name = o.source_name;
  src.address = o.source;
  CheckCommon c;
  c.id = "t";
  c.probe = probe;
  c.port = o.port;
  // The timeout a user would give on the test's link profile.
  const std::chrono::milliseconds timeout(vantage::testing::link_timeout_ms(static_cast<int>(o.timeout.count())));
  c.timeout = timeout;
  c.attempts = o.attempts;
  c.from = {o.source_name};
  RunState rs;
  const auto start = std::chrono::steady_clock::now();
  ProbeContext ctx{t, &src, c, *p.spec, Deadline::in(timeout), rs};
  Outcome out;
  out.obs = find_probe(probe)->observe(ctx);
  out.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  out.verdict = decide(*p.spec, *out.obs);
  out.connections = rs.connections();
  return out;
}

// The lab router configuration the tests start from: api on an ephemeral
// port, users in a read-only audit group and in the full group.
inline lab::LabConfig lab_config() {
  lab::LabConfig c;
  c.identity = "lab-rtr";
  c.listen = {"127.0.0.1"};
  c.groups = lab::builtin_groups();
  c.groups["audit"] = {"read", "api", "rest-api"};
  c.users = {
      lab::User{"admin", "full", "Adm1n-Secret-42", {}, false},
      lab::User{"audit", "audit", "Aud1t-Secret-7q", {}, false},
  };
  lab::Service api;
  api.name = "api";
  api.port = 0;
  c.services["api"] = api;
  c.limits.login_timeout = std::chrono::milliseconds(5000);
  c.limits.idle_timeout = std::chrono::milliseconds(10000);
  return c;
}
inline constexpr const char* kAuditPassword = "Aud1t-Secret-7q";

// A scripted TCP server on 127.0.0.1 for peers the lab cannot play (hostile
// or non-API servers). Serves connections one at a time with `handler`
// (or each on its own thread when `concurrent`, for peers that must hold
// several sessions), which gets the connected fd and a stop flag; stops
// within ~100 ms once handlers return.
class FakeServer {
 public:
  using Handler = std::function<void(int fd, const std::atomic<bool>& stop)>;
  explicit FakeServer(Handler h, bool concurrent = false)
      : handler_(std::move(h)), concurrent_(concurrent) {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd_.get(), 16) != 0)
      throw std::runtime_error("fake server: bind/listen failed");
    socklen_t len = sizeof a;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : workers_) t.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;
  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

  // Helpers for handlers.
  static bool send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads what is there within `ms` (bounded), returns bytes read.
  static std::string read_some(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return "";
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c) continue;
      ++accepted_;
      if (concurrent_ && workers_.size() < kMaxWorkers) {
        workers_.emplace_back([this, fd = std::make_shared<UniqueFd>(std::move(c))] {
          handler_(fd->get(), stop_);
        });
      } else {
        handler_(c.get(), stop_);
      }
    }
  }
  static constexpr std::size_t kMaxWorkers = 64;
  Handler handler_;
  bool concurrent_ = false;
  std::vector<std::thread> workers_;
  UniqueFd fd_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
inline std::uint16_t closed_port() {
  UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

}  // namespace vantage::probes::testing
