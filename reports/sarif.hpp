#pragma once
// SARIF 2.1.0 (OASIS), for code-scanning dashboards: one run, one rule per
// check (its description, its fix as help, severity as the default level),
// one result per check, target and source; a failed check with findings
// (results::Finding) gives one result per finding instead.
//
// - kind/level: fail gives kind "fail" with the level from the severity
//   (critical, high: error; medium: warning; low, info: note); pass gives
//   "pass", skip "notApplicable", and an error "open" (the rule could not be
//   evaluated), all with level "none", as the spec requires for those kinds.
// - location: the check's line and column in the scenario file, so code
//   scanning annotates the scenario. A relative path is relative to the
//   working directory, the root of the repository in CI (%SRCROOT%).
// - baselineState (with --baseline): new, unchanged, updated (fixed), and
//   absent for results that are gone.
// - suppressions: a waived failure has an accepted external suppression
//   carrying the justification; it stays kind "fail".
// - findings: each failing finding is a result of its own (kind "fail", the
//   check's level), its text and its fix ("Fix: ...") the message, the
//   record in properties.finding; advice (info) is kind "informational",
//   level "none". All point at the check's line: GitHub code scanning keeps
//   them apart by partialFingerprints, and shows the rule's help (the
//   check's fix) beside each. A check that passed with advice keeps one
//   result, the advice in properties.findings.
// - partialFingerprints: scenario, target, source and check id (and for a
//   finding its kind, item, category and occurrence; never its text, whose
//   numbers change from run to run), hashed, so a dashboard tracks the same
//   result across runs.
// Validated against the official schema in tests (tests/data/schemas).
#include <string>

#include "results/result.hpp"

namespace vantage::reports {

std::string render_sarif(const results::RunReport& report);

}  // namespace vantage::reports
