#pragma once
// Small formatting helpers shared by the reporters: times, durations, counts
// and text made safe for XML/HTML. Pure functions; nothing here decides.
#include <string>
#include <string_view>
#include <vector>

#include "results/result.hpp"

namespace vantage::reports {

// "2026-11-25T15:04:05.123Z" (UTC, milliseconds). For JSON.
std::string iso8601_utc(results::SystemTime t);
// "2026-11-25T15:04:05" (UTC, no zone, no fraction): the JUnit timestamp form
// that the strictest consumer (Jenkins xUnit's schema) accepts.
std::string iso8601_naive(results::SystemTime t);

// Plain decimal seconds with `places` digits: never an exponent, never a
// thousands separator. Negative or non-finite values print as zero.
std::string decimal_seconds(double seconds, int places = 3);

// "12 ms", "2.01 s", "3 min 05 s": for people.
std::string human_duration(double seconds);

// Upper-case badge: PASS, FAIL, ERROR, SKIP.
const char* badge(results::Status s);

// Valid UTF-8: malformed sequences (overlong, surrogates, truncated) each
// replaced by U+FFFD; everything else, control characters included, kept.
std::string valid_utf8(std::string_view in);

// Valid UTF-8 with the characters XML 1.0 forbids (C0 controls other than
// tab, LF and CR; U+FFFE/U+FFFF) and malformed sequences replaced by U+FFFD.
std::string xml_safe_text(std::string_view in);

// HTML-escapes & < > " ' (after xml_safe_text).
std::string html_escape(std::string_view in);
// For element text only (never an attribute): & < > (after xml_safe_text).
// JSON evidence in a <pre> is mostly quotes, each six bytes as &quot;.
std::string html_text(std::string_view in);

// The scenario's display name: its name, else its file name, else "scenario".
std::string scenario_label(const results::ScenarioResult& s);

// "expected X, observed Y" from a verdict; the verdict message when the
// short forms are missing.
std::string expected_observed(const results::Verdict& v);

// The results of one scenario for one target, in check order.
struct TargetGroup {
  std::string name;
  std::string host;  // from the first result; empty when there is none
  std::vector<const results::CheckResult*> results;
};
// Groups by ScenarioResult::targets order; results naming a target missing
// from that list get a group of their own at the end (nothing is dropped).
std::vector<TargetGroup> group_by_target(const results::ScenarioResult& s);

// "waived by OWNER until DATE: JUSTIFICATION (file:line)", or, expired,
// "waiver (OWNER) expired on DATE: the failure stands (file:line)".
std::string waiver_text(const results::WaiverRef& w);

// obs.evidence(), or {"evidence_error": "..."} when the probe's evidence()
// throws: one bad record must not lose the whole report. Null for no
// observation.
json evidence_of(const results::Observation* obs);

// What part of a fleet a report covers: "fleet: shard 2/3: 4 of the 12
// targets of hosts.ini", or "..., merged from 3 of 3 shard reports".
std::string fleet_summary(const results::FleetInfo& fleet);

}  // namespace vantage::reports
