#pragma once
// Formats an AnalysisResult for `vantage analyze` / `vantage watch` and for
// the capture probe's evidence: JSON, JUnit XML and console text. Formatting
// only: the exit code is decided by the caller from AnalysisResult::exposure().
#include <iosfwd>
#include <string>
#include <vector>

#include "capture/flow.hpp"
#include "core/json_config.hpp"

namespace vantage::capture {

json to_json(const FlowRecord& f, const AnalysisResult& r);
json to_json(const Finding& f, const AnalysisResult& r);
json to_json(const AnalysisResult& r);

// One testsuite: a testcase per finding kind, plus one per source that could
// not be read to the end. `attachments` (pcap files) go into system-out as
// [[ATTACHMENT|path]].
std::string junit_xml(const AnalysisResult& r, const std::string& suite,
                      const std::vector<std::string>& attachments);

void write_console(std::ostream& os, const AnalysisResult& r, bool all_flows);

}  // namespace vantage::capture
