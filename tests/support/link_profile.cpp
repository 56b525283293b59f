#include "tests/support/link_profile.hpp"

#include <sched.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <thread>

#include "tests/support/topology.hpp"

namespace vantage::testing {

using namespace std::chrono_literals;

LinkProfile link_profile_named(const std::string& name) {
  if (name.empty() || name == "ideal") return {"ideal", 0ms, 0ms, 0, 0ms};
  // 120 ms RTT: another continent. The extra time covers a few RTTs, jitter,
  // and settle windows that follow the measured RTT: about 10 RTTs, 1.3 s
  // here, but 3.5 s when a loaded CI host (the lab and the wire daemon are
  // user-space processes) stretches a handshake's RTT sample to 340 ms; then
  // a TLS handshake queued behind the scanners' on the one-threaded lab.
  if (name == "wan") return {"wan", 60ms, 5ms, 0, 5000ms};
  // Plus 2 % loss each way: a lost SYN is resent after 1 s (then 3 s), a lost
  // data segment after about one RTO (>= 200 ms + RTT); on top of that
  // stretched settle window.
  if (name == "lossy") return {"lossy", 60ms, 5ms, 2, 7000ms};
  throw std::runtime_error("VANTAGE_LINK_PROFILE=" + name +
                           ": unknown profile (ideal, wan or lossy)");
}

const LinkProfile& link_profile() {
  static const LinkProfile p = [] {
    const char* env = std::getenv("VANTAGE_LINK_PROFILE");
    return link_profile_named(env ? env : "");
  }();
  return p;
}

unsigned long long link_seed() {
  static const unsigned long long seed = [] {
    const char* env = std::getenv("VANTAGE_LINK_SEED");
    const unsigned long long s = env ? std::stoull(env) : std::random_device{}();
    std::cerr << "link profile " << link_profile().name << ": seed " << s
              << " (replay with VANTAGE_LINK_SEED=" << s << ")\n";
    return s;
  }();
  return seed;
}

int link_timeout_ms(int ideal_ms) {
  return ideal_ms + static_cast<int>(link_profile().extra_timeout.count());
}

std::vector<std::string> LinkProfile::wire_args() const {
  if (ideal()) return {};
  std::vector<std::string> a = {"--delay",  std::to_string(delay.count()) + "ms",
                                "--jitter", std::to_string(jitter.count()) + "ms",
                                "--seed",   std::to_string(link_seed())};
  if (loss_percent > 0) {
    std::string l = std::to_string(loss_percent);
    l.erase(l.find_last_not_of('0') + 1);
    if (l.back() == '.') l.pop_back();
    a.insert(a.end(), {"--loss", l + "%"});
  }
  return a;
}

Wire::Wire(const std::optional<std::string>& netns, std::vector<std::string> args)
    : dir_(std::make_unique<TempDir>()) {
  std::vector<std::string> argv = {VANTAGE_BINARY, "wire"};
  if (netns) argv.insert(argv.end(), {"--netns", *netns});
  argv.insert(argv.end(), args.begin(), args.end());
  // A ceiling in case this test process dies without stopping it.
  argv.insert(argv.end(), {"--ready-file", dir_->file("ready"), "--duration", "1h"});
  proc_ = std::make_unique<Process>(argv, dir_->file("log"));
  for (int i = 0; i < 500; ++i) {  // up to 10 s
    if (std::filesystem::exists(dir_->file("ready"))) return;
    if (!proc_->running()) break;
    std::this_thread::sleep_for(20ms);
  }
  const std::string log_text = log();
  proc_.reset();
  throw std::runtime_error("vantage wire did not get ready:\n" + log_text);
}

Wire::~Wire() {
  stop();
}

pid_t Wire::pid() const {
  return proc_ ? proc_->pid() : -1;
}

int Wire::stop() {
  if (!proc_) return -1;
  if (proc_->running()) ::kill(proc_->pid(), SIGTERM);
  return proc_->wait(10000);
}

std::string Wire::log() const {
  return dir_->read("log");
}

std::unique_ptr<Wire> enter_link_profile() {
  if (!std::getenv("VANTAGE_LINK_PROFILE")) return nullptr;
  const LinkProfile& p = link_profile();  // an unknown name fails here, before anything changes
  if (::unshare(CLONE_NEWNET) != 0)
    throw std::runtime_error(
        "VANTAGE_LINK_PROFILE is set: unshare(CLONE_NEWNET) needs root (CAP_SYS_ADMIN)");
  sh("ip link set lo up");
  if (p.ideal()) return nullptr;
  auto args = p.wire_args();
  args.push_back("--loopback");
  return std::make_unique<Wire>(std::nullopt, args);
}

}  // namespace vantage::testing
