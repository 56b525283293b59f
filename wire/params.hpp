#pragma once
// What `vantage wire` does to a link: per direction a one-way delay, a jitter
// added on top of it, and a loss rate; a bound on packets held per queue.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace vantage::wire {

using Nanos = std::chrono::nanoseconds;

// One direction of the link. Each packet waits delay + U[0, jitter) (never
// less than `delay`, never reordered) unless it is lost (probability `loss`).
struct Impairment {
  Nanos delay{0};
  Nanos jitter{0};
  double loss = 0;  // 0..1

  bool none() const { return delay.count() == 0 && jitter.count() == 0 && loss == 0; }
  std::string describe() const;  // "delay 60ms jitter 5ms loss 2%"
};

struct WireConfig {
  Impairment ingress;              // packets entering the namespace (PREROUTING, not on lo)
  Impairment egress;               // packets leaving it (POSTROUTING, not on lo)
  bool loopback = false;           // also delay loopback traffic once, with the egress settings
  std::size_t queue_limit = 1000;  // packets held per queue; more are dropped and counted
  std::uint64_t seed = 0;
  std::optional<Nanos> duration;          // stop by itself after this long
  std::optional<std::string> netns;       // enter /run/netns/NAME (or a path) first
  std::optional<std::string> ready_file;  // written once the rules are in
};

// "60ms", "1.5s", "250us", "2m", "0": a non-negative duration up to `max`.
// Throws UsageError naming `flag` and what a valid value looks like.
Nanos parse_duration(const std::string& flag, const std::string& text,
                     Nanos max = std::chrono::seconds(60));
// "2%", "0.5%", "0": a loss rate 0..100 %, returned as 0..1.
double parse_loss(const std::string& flag, const std::string& text);
// "60ms", "1.5s", "250us": the shortest exact spelling parse_duration reads back.
std::string format_duration(Nanos d);

}  // namespace vantage::wire
