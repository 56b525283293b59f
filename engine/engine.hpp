#pragma once
// Runs the plan (scenarios x targets x checks x sources) concurrently:
// bounded worker threads, a deadline per check, a cap on application
// sessions in flight per target, and file descriptors kept under
// RLIMIT_NOFILE by queueing rather than failing.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/progress.hpp"
#include "results/result.hpp"
#include "scenarios/scenario.hpp"

namespace vantage::engine {

// Something that watches the whole run, e.g. the packet capture.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Before the first probe. Throws vantage::Error (PermissionError -> 77).
  virtual void start(const std::vector<scenarios::Scenario>& plan) = 0;
  // After the last active probe, before the after-all probes run.
  virtual void stop(probes::RunState& run, results::RunReport& report) = 0;
};

struct EngineOptions {
  int jobs = 0;  // probes in flight, all targets; 0 = what RLIMIT_NOFILE allows (pool.hpp)
  std::optional<std::chrono::milliseconds> timeout;  // overrides every check's timeout
  std::vector<std::string> only;                     // check ids to run; empty = all
  std::optional<int> per_target;  // overrides each scenario's defaults.max_per_target
  std::vector<RunObserver*> observers;
  // Called after every finished check with where the run stands (from a
  // worker thread, one call at a time): keep it quick, print elsewhere.
  ProgressFn on_progress;
};

// Throws vantage::Error only for setup problems that stop the whole run;
// everything a single check meets becomes that check's verdict.
results::RunReport run(const std::vector<scenarios::Scenario>& scenarios, const EngineOptions& opt);

// Raises RLIMIT_NOFILE's soft limit toward its hard limit (at most 65536),
// then returns how many probes may be in flight under it.
int raise_fd_limit();

}  // namespace vantage::engine
