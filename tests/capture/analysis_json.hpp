#pragma once
// `vantage analyze --json` and `watch --json` write the standard run report
// (reports/json_report.hpp). The analysis itself (capture::to_json: sources,
// summary, findings, flows, problems) is the evidence of its capture-verified
// check; this returns it.
#include <stdexcept>

#include "core/json_config.hpp"

namespace vantage::capture::testing {

inline json analysis_of(const json& report) {
  for (const auto& t : report.at("scenarios").at(0).at("targets"))
    for (const auto& c : t.at("checks"))
      if (c.at("id") == "capture-verified") return c.at("observation").at("evidence");
  throw std::runtime_error("no capture-verified check in " + report.dump());
}

}  // namespace vantage::capture::testing
