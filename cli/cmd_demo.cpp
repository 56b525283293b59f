#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "net/sockaddr.hpp"

namespace vantage::cli {

namespace {

// The built-in demo target: real listeners on loopback, no router needed.
// "api" is left open to everyone (the finding the demo should show).
constexpr const char* kDemoScenario = R"json({
  // vantage demo: a loopback "router" audited from two loopback sources.
  "vantage": 1,
  "name": "demo router (loopback)",
  "vars": { "api_port": null, "api_ssl_port": null, "refuse_port": null, "closed_port": null },
  "target": { "host": "127.0.0.1", "name": "demo-rtr" },
  "sources": {
    "mgmt":    { "address": "127.0.0.1", "description": "trusted management host" },
    "outside": { "address": "127.0.0.2", "description": "untrusted host" }
  },
  "defaults": { "timeout_ms": 1500, "attempts": 1 },
  "checks": [
    { "id": "api-ssl-open-from-mgmt", "probe": "tcp", "port": "${api_ssl_port}", "from": "mgmt", "expect": "open",
      "description": "the trusted host reaches api-ssl" },
    { "id": "plain-api-closed", "probe": "tcp", "port": "${api_port}", "from": ["mgmt", "outside"], "expect": "not-open",
      "description": "plain api is disabled (/ip service set api disabled=yes)" },
    { "id": "service-refuses", "probe": "tcp", "port": "${refuse_port}", "from": "outside", "expect": "service-refused",
      "description": "a service address list turns the untrusted host away" },
    { "id": "unused-port-closed", "probe": "tcp", "port": "${closed_port}", "from": "outside", "expect": "closed",
      "description": "an unused port answers with RST" }
  ]
})json";

class Listener {
 public:
  // close_at_once: accept, then close before sending anything.
  explicit Listener(bool close_at_once) : close_(close_at_once) {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto addr = *net::SockAddr::parse("127.0.0.1", 0);
    int one = 1;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd_.get(), addr.sa(), addr.len()) != 0 || ::listen(fd_.get(), 64) != 0)
      throw SystemError("demo listener on 127.0.0.1", errno);
    port_ = net::SockAddr::local_of(fd_.get())->port();
    thread_ = std::thread([this] { serve(); });
  }
  ~Listener() {
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  void serve() {
    std::vector<UniqueFd> held;
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (c && !close_ && held.size() < 256) held.push_back(std::move(c));
    }
  }
  UniqueFd fd_;
  bool close_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::uint16_t unused_port() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto addr = *net::SockAddr::parse("127.0.0.1", 0);
  if (::bind(fd.get(), addr.sa(), addr.len()) != 0) throw SystemError("bind 127.0.0.1", errno);
  return net::SockAddr::local_of(fd.get())->port();  // closed again when fd goes
}

}  // namespace

int cmd_demo(const Args& args) {
  po::options_description od("demo options");
  od.add_options()("report-dir", po::value<std::string>()->default_value("vantage-demo"),
                   "where to write the reports")("no-color", "never colour the console report");
  po::variables_map vm;
  if (!parse_args(args, od, nullptr, vm, "vantage demo [--report-dir DIR]")) return 0;

  Listener api(false), api_ssl(false), refuse(true);
  const std::uint16_t closed = unused_port();
  scenarios::LoadOptions lo;
  lo.vars = {{"api_port", std::to_string(api.port())},
             {"api_ssl_port", std::to_string(api_ssl.port())},
             {"refuse_port", std::to_string(refuse.port())},
             {"closed_port", std::to_string(closed)}};
  auto sc = scenarios::parse_scenario(ConfigDoc::parse("demo.json (built in)", kDemoScenario), lo);

  RunSettings s;
  s.report_dir = vm["report-dir"].as<std::string>();
  std::filesystem::create_directories(s.report_dir);
  s.color = !vm.count("no-color") && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  std::cout << "vantage demo: auditing a loopback demo router (api on " << api.port() << ", api-ssl on "
            << api_ssl.port() << ") from mgmt 127.0.0.1 and outside 127.0.0.2\n\n";
  const int rc = execute({std::move(sc)}, s);
  // The demo router is half hardened on purpose: its failures are the point.
  // Only errors (could not observe) make the demo itself fail.
  if (rc == static_cast<int>(ExitCode::kFail)) {
    std::cout << "\nThe demo router is deliberately half hardened: the failures above are the\n"
                 "findings vantage is meant to catch.\n";
    return 0;
  }
  return rc;
}

}  // namespace vantage::cli
