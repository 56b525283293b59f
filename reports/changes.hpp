#pragma once
// The change summary against a baseline, for the console and `vantage diff`:
// counts per change first, then each new failure, fixed result and gone
// result, then what differs between the scenario versions.
#include <string>

#include "results/baseline.hpp"

namespace vantage::reports {

std::string render_changes(const results::Diff& diff, const std::string& baseline_file);

// The diff a run's report carries (each result's change, the gone ones).
results::Diff diff_of(const results::RunReport& report);

}  // namespace vantage::reports
