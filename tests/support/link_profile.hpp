#pragma once
// Link profiles: the same tests on an ideal link, a WAN (120 ms RTT) and a
// lossy WAN, chosen by VANTAGE_LINK_PROFILE. The impairment is a real
// `vantage wire` (netfilter queues) in the namespace it applies to.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vantage::testing {

class Process;
class TempDir;

struct LinkProfile {
  std::string name;                     // ideal | wan | lossy
  std::chrono::milliseconds delay{0};   // one way, each direction
  std::chrono::milliseconds jitter{0};  // added on top, 0..jitter
  double loss_percent = 0;              // each direction
  // How much longer than on an ideal link a check may take here.
  std::chrono::milliseconds extra_timeout{0};

  bool ideal() const { return name == "ideal"; }
  // The `vantage wire` flags for this profile (empty for ideal), with a seed
  // from link_seed().
  std::vector<std::string> wire_args() const;
};

// The seed of every wire this process starts: VANTAGE_LINK_SEED, else
// random; printed once, so a lossy failure can be replayed.
unsigned long long link_seed();

// VANTAGE_LINK_PROFILE (unset: ideal), read once; an unknown name throws.
const LinkProfile& link_profile();
LinkProfile link_profile_named(const std::string& name);

// The timeout a user would give, on the active profile's link, a check that
// takes `ideal_ms` on an ideal one: room for the RTT, a lost SYN's 1 s
// retransmit, and a lost segment's retransmit on the lossy profile.
int link_timeout_ms(int ideal_ms);

// A running `vantage wire`, in `netns` (or this process's namespace), with
// `args`; the constructor returns once it printed `wire: ready`. The
// destructor stops it with SIGTERM, which removes its rules.
class Wire {
 public:
  Wire(const std::optional<std::string>& netns, std::vector<std::string> args);
  ~Wire();
  Wire(const Wire&) = delete;
  Wire& operator=(const Wire&) = delete;
  pid_t pid() const;
  // SIGTERM, then waits; returns its exit status (-1 if it would not stop).
  int stop();
  std::string log() const;  // its stdout and stderr

 private:
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Process> proc_;
};

// For a profiled test binary's main(), before any thread starts: when
// VANTAGE_LINK_PROFILE is set, moves the process into a private network
// namespace with lo up, and on a non-ideal profile delays its loopback
// traffic with a `vantage wire --loopback`. Returns that wire (or null).
std::unique_ptr<Wire> enter_link_profile();

}  // namespace vantage::testing
