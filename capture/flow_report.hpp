#pragma once
// An AnalysisResult as JSON (the evidence of the capture probe and of
// `vantage analyze` / `watch` checks) and as the flow listing those commands
// print. Reports (JSON, JUnit, HTML) are reports/'s, from a run report that
// cli/analysis_report.hpp makes of the analysis.
#include <iosfwd>

#include "capture/flow.hpp"
#include "core/json_config.hpp"

namespace vantage::capture {

json to_json(const FlowRecord& f, const AnalysisResult& r);
json to_json(const Finding& f, const AnalysisResult& r);
// A finding's kind in words, a singular noun phrase for results::Finding:
// "credential-exposure" -> "exposed credential"; an unknown kind as it is.
std::string kind_words(const std::string& kind);
json to_json(const AnalysisResult& r);

void write_console(std::ostream& os, const AnalysisResult& r, bool all_flows);

}  // namespace vantage::capture
