#include "engine/engine.hpp"

#include <map>

#include "core/error.hpp"
#include "engine/plan.hpp"
#include "engine/pool.hpp"
#include "engine/run_task.hpp"

namespace vantage::engine {

results::RunReport run(const std::vector<scenarios::Scenario>& plan, const EngineOptions& opt) {
  results::RunReport report;
  report.started = std::chrono::system_clock::now();
  const auto t0 = Clock::now();
  probes::RunState state;

  // Every source used is validated before any traffic.
  TaskRunner runner(report, state, opt, invalid_sources(plan));
  Tasks tasks = expand_plan(plan, opt, report);
  std::map<std::string, int> per_target;
  for (const auto& sc : report.scenarios) {
    for (const auto& name : sc.targets) per_target.try_emplace(name, 0);
    for (const auto& r : sc.results) ++per_target[r.target];
  }
  state.set_targets(per_target.size());
  ProgressTracker progress(per_target, opt.on_progress);
  auto run_one = [&](const Task& t) {
    runner.run(t);
    const auto& r = report.scenarios[t.scenario].results[t.slot];
    progress.finished(r.target, r.verdict.status);
  };

  for (auto* o : opt.observers) {
    try {
      o->start(plan);
    } catch (const PermissionError& e) {
      // Every other check still runs; checks that needed the observer error.
      report.permission_errors.push_back(e.what());
    }
  }
  run_pool(std::move(tasks.active), opt.jobs, run_one);
  for (auto* o : opt.observers) o->stop(state, report);
  run_pool(std::move(tasks.after), opt.jobs, run_one);

  report.elapsed = Clock::now() - t0;
  return report;
}

}  // namespace vantage::engine
