#pragma once
// The post-change acceptance flags of `run`: --fail-on SEVERITY,
// --fail-on-new, --baseline REPORT.json, --waivers FILE. The files are read
// before anything is sent, so a bad one fails the run at once (exit 65).
#include <boost/program_options.hpp>
#include <optional>

#include "results/baseline.hpp"
#include "results/waiver.hpp"

namespace vantage::cli {

struct AcceptanceSettings {
  results::Gate gate;
  std::optional<results::Snapshot> baseline;
  std::vector<results::Waiver> waivers;
  bool has_waivers = false;
};

void add_acceptance_options(boost::program_options::options_description& od);
// Throws UsageError for a bad --fail-on or --fail-on-new without --baseline,
// ConfigError for a file that is not a report or a waiver file.
AcceptanceSettings read_acceptance_settings(const boost::program_options::variables_map& vm);
// Waivers first (a waived failure is still a failure to the baseline), then
// the baseline, then the gate.
void apply_acceptance(results::RunReport& report, const AcceptanceSettings& s);

}  // namespace vantage::cli
