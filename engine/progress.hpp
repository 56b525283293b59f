#pragma once
// Where a run stands, as a record: the engine fills one after every finished
// check and hands it to EngineOptions::on_progress; whoever shows it (the
// CLI's progress line) decides how and how often. Nothing here prints.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "results/verdict.hpp"

namespace vantage::engine {

struct Progress {
  int done = 0, total = 0;                  // checks (result slots), all targets
  int fail = 0, error = 0;                  // so far, as judged (waivers apply after the run)
  int targets_done = 0, targets = 0;        // a target is done when all its checks are
  std::chrono::duration<double> elapsed{};  // since the run started
};

using ProgressFn = std::function<void(const Progress&)>;

// Counts finished checks per target and calls `fn` with the new record, one
// call at a time (callers on any worker thread). Without `fn`, only counts.
class ProgressTracker {
 public:
  // `slots_per_target`: each target's name and how many checks it has.
  ProgressTracker(const std::map<std::string, int>& slots_per_target, ProgressFn fn);
  void finished(const std::string& target, results::Status status);
  Progress snapshot() const;

 private:
  using Clock = std::chrono::steady_clock;
  mutable std::mutex mu_;
  std::map<std::string, int> left_;  // checks not yet finished, per target
  Progress p_;
  Clock::time_point t0_ = Clock::now();
  ProgressFn fn_;
};

}  // namespace vantage::engine
