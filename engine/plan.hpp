#pragma once
// Plan expansion: scenarios x targets x checks x sources become tasks, one
// per result slot of the run report, before anything is sent.
#include <map>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace vantage::engine {

// One check against one target from one source: one result of the report.
struct Task {
  std::size_t scenario = 0;
  std::size_t slot = 0;  // index into that scenario's results
  const scenarios::Check* check = nullptr;
  const results::Target* target = nullptr;
  const net::SourceSpec* source = nullptr;
  int cap = 4;  // per-target session cap of the task's scenario
  std::string target_key;
};

struct Tasks {
  std::vector<Task> active;  // run together
  std::vector<Task> after;   // run once every active task is done (capture)
};

// Fills `report` with one unjudged result per task (scenario, target and
// source names) and returns the tasks, in plan order.
Tasks expand_plan(const std::vector<scenarios::Scenario>& plan, const EngineOptions& opt,
                  results::RunReport& report);

// Every source the plan uses that fails validation, with the reason in words.
std::map<const net::SourceSpec*, std::string> invalid_sources(
    const std::vector<scenarios::Scenario>& plan);

}  // namespace vantage::engine
