#pragma once
// A loaded, validated scenario: targets x checks x sources.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/run_capture.hpp"
#include "core/json_config.hpp"
#include "net/source.hpp"
#include "probes/probe.hpp"

namespace vantage::scenarios {

struct Check {
  results::CheckCommon common;
  const probes::Probe* probe = nullptr;
  std::shared_ptr<const results::CheckSpec> spec;
  std::optional<std::string> skip_reason;  // "skip": "why" -> verdict skip
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::vector<results::Target> targets;
  std::vector<net::SourceSpec> sources;  // in file order
  std::vector<Check> checks;
  std::optional<capture::CaptureConfig> capture;  // the top-level "capture" object
  int max_per_target = 4;                         // application sessions in flight per target
  std::string fingerprint;  // the file as written, hashed: a baseline's scenario version

  const net::SourceSpec* source(const std::string& name) const;
};

// One target of a fleet inventory (vantage run --inventory): it replaces the
// scenario's "target", and its vars feed the scenario's ${...}. A variable
// the target's "host" or "name" is exactly ("${router}") takes the
// inventory's host or name. Inventory vars the scenario does not declare are
// ignored (inventories carry more), unless one is a near miss of a declared
// name: that is an error. A var that the command line and the inventory set
// to different values is an error naming both.
struct TargetOverride {
  std::string name, host;
  std::map<std::string, std::string> vars;
  std::string file;  // where the inventory defines it
  int line = 0, column = 0;
};

struct LoadOptions {
  std::map<std::string, std::string> vars;  // --var name=value
  std::optional<TargetOverride> target;     // --inventory: this run's target
  // Set when several scenarios share the --vars: names this one does not
  // declare are put here (keyed by name) instead of being errors.
  std::map<std::string, Diagnostic>* undeclared_vars = nullptr;
  // Where the scenario's relative paths (version_policy, ...) resolve when it
  // is not a file on disk (the demo's built-in copies); default: its file's folder.
  std::optional<std::filesystem::path> base_dir = std::nullopt;
};

// Throws ConfigError with every problem found (file:line:col, path, fix).
Scenario load_scenario(const std::string& path, const LoadOptions& opt = {});
Scenario parse_scenario(const ConfigDoc& doc, const LoadOptions& opt = {});

// The one run-wide capture of a plan, or nullopt when no scenario has a
// "capture" object or a capture check.
// Every "capture" object in the plan is honoured: identical ones merge, and
// two that differ throw ConfigError naming both files and the fields, before
// anything is sent. A scenario with a capture check and no "capture" object
// judges the capture the others configure (the defaults when none does).
std::optional<capture::CaptureConfig> plan_capture(const std::vector<Scenario>& plan);

// The JSON Schema of the scenario format, generated from the loader's own
// tables and the probe registry (scenarios/schema.json is this, committed).
json scenario_schema();

}  // namespace vantage::scenarios
