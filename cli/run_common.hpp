#pragma once
// What `run` and `demo` share: loading scenarios, running them, writing
// reports and choosing the exit code.
#include <boost/program_options.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/acceptance_options.hpp"
#include "cli/fleet_options.hpp"
#include "engine/engine.hpp"
#include "reports/write_reports.hpp"
#include "scenarios/scenario.hpp"

namespace vantage::cli {

namespace po = boost::program_options;

// Loads every file and reports the problems of all of them at once.
std::vector<scenarios::Scenario> load_all(const std::vector<std::string>& files,
                                          const std::map<std::string, std::string>& vars);

// --var NAME=VALUE (repeatable) and --vars FILE (a JSON object).
void add_var_options(po::options_description& od);
std::map<std::string, std::string> read_vars(const po::variables_map& vm);

struct RunSettings {
  engine::EngineOptions engine;
  // Report files, the report directory (capture.pcap goes there too), colour
  // and --quiet (the console's summary line only).
  reports::ReportOptions reports;
  AcceptanceSettings acceptance;  // --fail-on, --baseline, --fail-on-new, --waivers
};

// The report flags (report_options.hpp), the acceptance flags
// (acceptance_options.hpp) and the engine's.
void add_run_options(po::options_description& od);
RunSettings read_run_settings(const po::variables_map& vm);

// Runs, prints the console report, writes the files; returns the exit code.
// A fleet run (--inventory) folds the per-target scenarios back together and
// records what it covers; a shard with no target runs nothing.
int execute(const std::vector<scenarios::Scenario>& plan, RunSettings settings,
            const FleetRun* fleet = nullptr);

// Parses argv-style args with `od` (+ positional); throws UsageError on
// unknown options. Returns false when --help was printed.
bool parse_args(const std::vector<std::string>& args, const po::options_description& od,
                const po::positional_options_description* pos, po::variables_map& vm,
                const std::string& usage_line);

}  // namespace vantage::cli
