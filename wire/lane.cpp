#include "wire/lane.hpp"

#include <algorithm>

namespace vantage::wire {

Lane::Lane(Impairment imp, std::size_t limit, std::uint64_t seed)
    : imp_(imp), limit_(limit), rng_(seed) {}

Lane::Fate Lane::arrive(std::uint32_t id, Clock::time_point now) {
  // Draw both numbers for every packet, so one seed gives one sequence of
  // fates whatever the queue depth.
  const double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
  const auto extra =
      imp_.jitter.count() > 0
          ? Nanos(std::uniform_int_distribution<std::int64_t>(0, imp_.jitter.count() - 1)(rng_))
          : Nanos(0);
  if (roll < imp_.loss) {
    ++stats_.lost;
    return Fate::kLost;
  }
  if (held_.size() >= limit_) {
    ++stats_.overflow;
    return Fate::kOverflow;
  }
  // Never before the packet ahead of it: jitter spreads packets, it never
  // reorders them (a real link's FIFO does not either).
  const auto release = std::max(now + imp_.delay + extra, last_release_);
  last_release_ = release;
  held_.push_back({id, release});
  stats_.max_depth = std::max(stats_.max_depth, held_.size());
  return Fate::kHeld;
}

std::vector<std::uint32_t> Lane::due(Clock::time_point now) {
  std::vector<std::uint32_t> out;
  while (!held_.empty() && held_.front().release <= now) {
    out.push_back(held_.front().id);
    held_.pop_front();
  }
  stats_.passed += out.size();
  return out;
}

std::vector<std::uint32_t> Lane::drain() {
  std::vector<std::uint32_t> out;
  for (const auto& h : held_) out.push_back(h.id);
  held_.clear();
  stats_.passed += out.size();
  return out;
}

std::optional<Clock::time_point> Lane::next_release() const {
  if (held_.empty()) return std::nullopt;
  return held_.front().release;
}

}  // namespace vantage::wire
