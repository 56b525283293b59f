#pragma once
// One absolute deadline passed down, so timeout_ms bounds a check's steps together.
#include <algorithm>
#include <chrono>

namespace vantage {

using Clock = std::chrono::steady_clock;

// An absolute point in time that every blocking step of a probe honours.
class Deadline {
 public:
  explicit Deadline(Clock::time_point at) : at_(at) {}
  static Deadline in(std::chrono::milliseconds ms) { return Deadline(Clock::now() + ms); }

  Clock::time_point at() const { return at_; }
  bool expired() const { return Clock::now() >= at_; }
  // Milliseconds left, clamped to [0, INT_MAX] for poll().
  int poll_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 0x7fffffff));
  }
  Deadline earlier(Deadline o) const { return Deadline(std::min(at_, o.at_)); }

 private:
  Clock::time_point at_;
};

}  // namespace vantage
