#pragma once
// `run --inventory FILE [--limit GROUP]... [--shard K/N]`: the fleet's
// targets (fleet/), each loaded into its own copy of every scenario with its
// vars, and the report folded back to one scenario result per file, targets
// in inventory order, with the record of what the run covers.
#include <boost/program_options.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "fleet/inventory.hpp"
#include "results/result.hpp"
#include "scenarios/scenario.hpp"

namespace vantage::cli {

void add_fleet_options(boost::program_options::options_description& od);

struct FleetRun {
  results::FleetInfo info;
  // Per scenario file: the folded result's file, name and fingerprint.
  std::vector<results::ScenarioResult> heads;
  std::size_t targets = 0;  // plan is heads x targets, file-major
};

// nullopt without --inventory (and then --limit or --shard is a usage error).
// Otherwise fills `plan` with every scenario x this shard's targets; every
// problem of every target is reported at once (ConfigError).
std::optional<FleetRun> read_fleet(const boost::program_options::variables_map& vm,
                                   const std::vector<std::string>& files,
                                   const std::map<std::string, std::string>& vars,
                                   const engine::EngineOptions& engine,
                                   std::vector<scenarios::Scenario>& plan);

// One scenario result per file again, targets in inventory order; the
// report's fleet record.
void fold_fleet(results::RunReport& report, const FleetRun& run);

}  // namespace vantage::cli
