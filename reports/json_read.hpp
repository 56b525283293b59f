#pragma once
// The JSON report read back into records: json_report's inverse, so a
// report made elsewhere (a shard of a fleet run, vantage merge) renders in
// every format exactly as the run that wrote it would have. The checks'
// expectations and the probes' evidence come back as recorded JSON; nothing
// is judged again (the verdicts are the ones recorded).
#include <memory>
#include <vector>

#include "core/json_config.hpp"
#include "results/result.hpp"

namespace vantage::reports {

struct ReadReport {
  std::string file;
  results::RunReport report;
  // What report's results point to (CheckResult::check).
  std::vector<std::unique_ptr<results::CheckCommon>> checks;
};

// Throws ConfigError (located) when `doc` is not a vantage JSON report of a
// version this build reads.
ReadReport read_json_report(const ConfigDoc& doc);
ReadReport load_json_report(const std::string& path);

}  // namespace vantage::reports
