#pragma once
// The HTML report: one self-contained page for people (no external assets;
// a Content-Security-Policy forbids loading any, and admits only its own
// style sheet and, with the fleet matrix, its own script, by hash). Summary
// counts, for several targets a targets x checks matrix (html_matrix.hpp), a
// table per scenario and target with colour-coded verdicts, and the evidence
// of each check in an expandable <details>. Every piece of text is
// HTML-escaped.
#include <string>

#include "results/result.hpp"

namespace vantage::reports {

std::string render_html(const results::RunReport& report);

}  // namespace vantage::reports
