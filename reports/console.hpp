#pragma once
// The console report, for a person at a terminal: one line per check and
// source (badge, check id, target, source, verdict), then a summary line and
// the artifact paths.
#include <string>

#include "results/result.hpp"

namespace vantage::reports {

// `color` adds ANSI colours (the CLI passes isatty(stdout)). Text from the
// network (messages, summaries) has control characters neutralised, so a
// hostile banner cannot drive the terminal.
std::string render_console(const results::RunReport& report, bool color);

}  // namespace vantage::reports
