#pragma once
// A check's findings, collapsed by kind for a one-line view: "TLSv1.0,
// TLSv1.1 accepted; 37 forbidden suites: anonymous 21, null 10, export 4,
// ...". Pure: the records come from the verdict (results::Finding), the
// console prints this line, and -v prints every finding's text instead.
#include <string>
#include <vector>

#include "results/verdict.hpp"

namespace vantage::reports {

// Kinds in first-seen order, separated by "; ". An item found twice (the
// same suite on two versions) counts once. A kind whose findings carry
// categories is "N kind: cat n, ..." (largest first, at most
// `max_parts` then "..."); one without is "a, b kind" when it has at most
// `max_parts` items, else "N kind: a, b, c, ...". Empty for no findings.
std::string collapse_findings(const std::vector<results::Finding>& findings,
                              std::size_t max_parts = 3);

}  // namespace vantage::reports
