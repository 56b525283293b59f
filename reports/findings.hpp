#pragma once
// A check's findings, collapsed by kind for a one-line view: "2 accepted
// versions: TLSv1.0, TLSv1.1; 37 forbidden suites: anonymous 21, null 10,
// export 4, ...". Pure: the records come from the verdict (results::Finding),
// the console and the HTML print this line, -v and the HTML list every
// finding's text, JUnit lists them in the failure.
#include <string>
#include <vector>

#include "results/verdict.hpp"

namespace vantage::reports {

// One finding is its own sentence (its text). Several: kinds in first-seen
// order, separated by "; ", advice (info) after the rest behind "note: ". An
// item found twice (the same suite on two versions) counts once. A kind whose
// findings carry categories is "N kinds: cat n, ..." (largest first, at most
// `max_parts` then "..."); one without is "N kinds: a, b, c, ...". Counts
// and nouns agree ("1 enabled service"). Empty for no findings.
std::string collapse_findings(const std::vector<results::Finding>& findings,
                              std::size_t max_parts = 3);

// Whether any finding fails the check (is not advice): only then does the
// collapsed line stand for the verdict; advice alone leaves the message.
bool any_failing(const std::vector<results::Finding>& findings);

// Each finding as one line: its text, then " (fix: ...)" when it has one and
// " [info]" for advice.
std::string finding_line(const results::Finding& f);

}  // namespace vantage::reports
