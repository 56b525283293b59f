#pragma once
// The HTML report: one self-contained page for people (no scripts, no
// external assets; a Content-Security-Policy forbids loading any). Summary
// counts, a table per scenario and target with colour-coded verdicts, and
// the evidence of each check in an expandable <details>. Every piece of text
// is HTML-escaped.
#include <string>

#include "results/result.hpp"

namespace vantage::reports {

std::string render_html(const results::RunReport& report);

}  // namespace vantage::reports
