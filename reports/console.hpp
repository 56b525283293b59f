#pragma once
// The console report, for a person at a terminal: one line per check and
// source (badge, check id, target, source, verdict), then a summary line and
// the artifact paths.
#include <string>

#include "reports/formats.hpp"
#include "results/result.hpp"

namespace vantage::reports {

// `color` adds ANSI colours (the CLI passes isatty(stdout)). Text from the
// network (messages, summaries) has control characters neutralised, so a
// hostile banner cannot drive the terminal. A check with findings gets one
// line with them collapsed by kind (reports/findings.hpp); `verbose` (-v)
// lists each finding below it. The summary ends with "To fix:", each failed
// check's fix once, most severe first (reports/expectation.hpp).
std::string render_console(const results::RunReport& report, bool color, bool verbose = false);

// The --quiet form, one line: "2 passed, 1 failed, 1 errored, 1 skipped".
std::string render_summary_line(const results::RunReport& report);

// What the console format prints: the summary line when quiet, else
// render_console.
std::string console_text(const results::RunReport& report, const RenderOptions& options);

}  // namespace vantage::reports
