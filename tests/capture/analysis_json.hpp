#pragma once
// `vantage analyze --json` and `watch --json` write the standard run report
// (reports/json_report.hpp). The analysis itself (capture::to_json: sources,
// summary, findings, flows, problems) is the evidence of its capture-verified
// check; this returns it.
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace vantage::capture::testing {

inline nlohmann::json analysis_of(const nlohmann::json& report) {
  for (const auto& t : report.at("scenarios").at(0).at("targets"))
    for (const auto& c : t.at("checks"))
      if (c.at("id") == "capture-verified") return c.at("observation").at("evidence");
  throw std::runtime_error("no capture-verified check in " + report.dump());
}

}  // namespace vantage::capture::testing
