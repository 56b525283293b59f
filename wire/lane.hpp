#pragma once
// One direction of the link: decides each queued packet's fate on arrival and
// holds the kept ones, in arrival order, until their release time. Pure logic
// over a clock value, so it is tested without a network.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <vector>

#include "wire/params.hpp"

namespace vantage::wire {

using Clock = std::chrono::steady_clock;

struct LaneStats {
  std::uint64_t passed = 0;    // released (NF_ACCEPT)
  std::uint64_t lost = 0;      // dropped by the loss rate
  std::uint64_t overflow = 0;  // dropped because the queue was at its bound
  std::size_t max_depth = 0;   // most packets held at once
};

class Lane {
 public:
  enum class Fate { kHeld, kLost, kOverflow };

  Lane(Impairment imp, std::size_t limit, std::uint64_t seed);

  // A packet arrived at `now`. kHeld: it is released later by due()/drain();
  // otherwise the caller drops it now.
  Fate arrive(std::uint32_t id, Clock::time_point now);
  // Removes and returns, in arrival order, the packets whose time has come.
  std::vector<std::uint32_t> due(Clock::time_point now);
  // Removes and returns every held packet (shutdown: release them early).
  std::vector<std::uint32_t> drain();
  // When the oldest held packet is due; empty when nothing is held.
  std::optional<Clock::time_point> next_release() const;

  std::size_t depth() const { return held_.size(); }
  const LaneStats& stats() const { return stats_; }
  const Impairment& impairment() const { return imp_; }

 private:
  struct Held {
    std::uint32_t id;
    Clock::time_point release;
  };
  Impairment imp_;
  std::size_t limit_;
  std::mt19937_64 rng_;
  std::deque<Held> held_;
  Clock::time_point last_release_{};
  LaneStats stats_;
};

}  // namespace vantage::wire
