#pragma once
// One task, start to verdict: a skipped check is skipped; a bad source, an
// unresolvable target or a probe that throws is a setup failure, an error
// that names the cause; anything a probe observed is judged by decide().
#include <map>
#include <mutex>
#include <string>

#include "engine/plan.hpp"
#include "engine/resolver.hpp"
#include "probes/probe.hpp"

namespace vantage::engine {

class TaskRunner {
 public:
  TaskRunner(results::RunReport& report, probes::RunState& state, const EngineOptions& opt,
             std::map<const net::SourceSpec*, std::string> bad_sources)
      : report_(report), state_(state), opt_(opt), bad_sources_(std::move(bad_sources)) {}

  // Fills the task's result slot: observation, verdict, timings. Thread-safe.
  void run(const Task& t);

 private:
  // The probe's observation, or a setup failure.
  std::shared_ptr<results::Observation> observe(const Task& t);

  results::RunReport& report_;
  probes::RunState& state_;
  const EngineOptions& opt_;
  const std::map<const net::SourceSpec*, std::string> bad_sources_;
  Resolver resolver_;
  std::mutex report_mu_;  // report_.permission_errors
};

}  // namespace vantage::engine
