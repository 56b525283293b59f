#pragma once
// Expectations in words, for people: "port 8728 is not open (refused or
// filtered)", "accepts TLSv1.2; refuses SSLv3, TLSv1.0, TLSv1.1". A table of
// describers per probe word and per expectation key; anything not in the
// table still reads as "key: value, value" (never raw JSON). And each
// failed check's fix: the scenario's `fix`, else one made from the words.
#include <string>

#include "results/result.hpp"

namespace vantage::reports {

// `expected` is CheckSpec::expected(); probe and port from CheckCommon.
std::string describe_expectation(std::string_view probe, std::uint16_t port, const json& expected);

// The expectation of a result in words ("" when it has no spec).
std::string expectation_text(const results::CheckResult& r);

// CheckCommon::fix, else "Make <check> pass: <expectation in words>."
std::string fix_text(const results::CheckResult& r);

// What fixes a failed result: its failing findings' own fixes (each once, in
// order; a finding's command is more precise than the check's), then
// fix_text() when there are no failing findings or one of them has no fix.
std::vector<std::string> fix_texts(const results::CheckResult& r);

struct FixItem {
  std::string severity;  // the most severe of the checks it fixes
  std::string text;
  std::vector<std::string> checks;  // ids, first-seen order, each once
};
// Each failed (status fail) result's fixes (fix_texts), deduplicated by text,
// most severe first (ties keep report order).
std::vector<FixItem> fixes(const results::RunReport& report);

}  // namespace vantage::reports
