#include "engine/progress.hpp"

namespace vantage::engine {

ProgressTracker::ProgressTracker(const std::map<std::string, int>& slots_per_target, ProgressFn fn)
    : left_(slots_per_target), fn_(std::move(fn)) {
  for (const auto& [name, n] : left_) {
    p_.total += n;
    ++p_.targets;
    if (n == 0) ++p_.targets_done;
  }
}

void ProgressTracker::finished(const std::string& target, results::Status status) {
  // Under the lock while calling: records arrive in order, never two at once.
  std::lock_guard lock(mu_);
  ++p_.done;
  if (status == results::Status::kFail) ++p_.fail;
  if (status == results::Status::kError) ++p_.error;
  if (auto it = left_.find(target); it != left_.end() && it->second > 0 && --it->second == 0)
    ++p_.targets_done;
  p_.elapsed = Clock::now() - t0_;
  if (fn_) fn_(p_);
}

Progress ProgressTracker::snapshot() const {
  std::lock_guard lock(mu_);
  Progress p = p_;
  p.elapsed = Clock::now() - t0_;
  return p;
}

}  // namespace vantage::engine
