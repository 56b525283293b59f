#pragma once
// The fleet report from its shards' JSON reports (vantage merge). Every shard
// says what it is part of (results::FleetInfo): the merge refuses shards of
// different runs (another inventory, --limit, scenario, vars or shard count)
// and the same shard twice, naming the files, and records the shards not
// given (exit 2: part of the fleet went untested). The result is the report
// an unsharded run of the same inventory writes, timings aside: scenarios
// in order, targets in inventory order.
#include <string>
#include <vector>

#include "reports/json_read.hpp"

namespace vantage::fleet {

struct MergedReport {
  std::vector<reports::ReadReport> shards;  // what report's results point to
  results::RunReport report;
};

// Throws UsageError (exit 64) for a report that is not a shard, shards of
// different runs, or one shard given twice.
MergedReport merge_shards(std::vector<reports::ReadReport> shards);

}  // namespace vantage::fleet
