#pragma once
// Scenario parameters: "vars": {"target": {"default": "192.0.2.1",
// "description": "router address"}} declares them; "${target}" uses them in
// any string; `--var target=203.0.113.1` sets them. A string that is exactly
// "${name}" and whose value is an integer becomes that integer (for ports).
#include <map>
#include <string>

#include "core/json_config.hpp"
#include "scenarios/scenario.hpp"

namespace vantage::scenarios {

// A given name this scenario does not declare is an error in `diags`; with
// `undeclared`, it goes there instead, keyed by name (a run of several
// scenarios errs only on names none of them declares: cli/run_common).
// `unset_hint` ends the message for a variable without a value (an inventory
// run says where the target could set it).
void substitute_vars(json& root, const std::map<std::string, std::string>& given,
                     Diagnostics& diags, std::map<std::string, Diagnostic>* undeclared = nullptr,
                     const std::string& unset_hint = "");

// For a fleet target: the vars to substitute (the command line's and the
// target's). Conflicts and near misses are located at the target's line in
// the inventory (`in_inventory`); a scenario problem goes to `diags`.
std::map<std::string, std::string> target_vars(const json& root, const TargetOverride& target,
                                               const std::map<std::string, std::string>& given,
                                               Diagnostics& diags,
                                               std::vector<Diagnostic>& in_inventory);

}  // namespace vantage::scenarios
