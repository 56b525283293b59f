#pragma once
// The JUnit XML report, shaped for what CI tools actually read:
//
// Valid against both Jenkins xUnit's junit-10.xsd and the (stricter) Ant JUnit
// schema, hence the shape:
//
//   <testsuites>                                          no attributes (Ant)
//     <testsuite name="SCENARIO @ TARGET" tests failures errors skipped time
//                timestamp="2026-11-25T15:04:05" hostname="localhost" id package>
//       <properties> vantage.version, scenario.name, scenario.file, target.name,
//                    target.host, source.NAME (description),
//                    source.NAME.local_address (addresses actually used),
//                    case.CASE.waiver, case.CASE.baseline </properties>
//       <testcase name="CHECK [SOURCE]" classname="SCENARIO.TARGET" time="0.012">
//         <failure type="expectation-failed" message="expected X, observed Y">details: the
//                  verdict, "N findings:" and a "- text (fix: ...)" line each, evidence</failure>
//         | <error type="observation-error" message="...">details</error>
//         | <skipped message="...">reason</skipped>     skip, and waived ("waived: ...")
//       </testcase>
//       <system-out>per case ("== CASE"): check, source, verdict, warnings, evidence
//                   (for fail/error it is in the element body instead);
//                   [[ATTACHMENT|/abs/path]] per run artifact</system-out>
//       <system-err/>
//     </testsuite>
//
// Rules, and why:
// - classname is "<scenario>.<target>" with every '.' and whitespace inside
//   each part replaced by '_' (an empty part becomes "_"). Jenkins splits
//   classname at the last '.' into package and class, so a target such as
//   192.0.2.1 would otherwise scatter results over nested packages.
// - testcase names are "<check id> [<source>]" ("<check id>" for passive
//   checks), unique per classname: a repeat gets " #2", " #3". Jenkins and
//   GitLab key cases by classname + name and silently merge duplicates.
// - time is fixed-point seconds with 3 decimals (millisecond precision, as
//   Surefire writes it): no exponent, no grouping. The Jenkins xUnit plugin
//   validates against a schema whose time pattern allows at most 3 decimals.
//   The JSON report keeps full precision.
// - timestamp is UTC without a zone designator, as the JUnit schema wants.
// - <testsuites> has no attributes: the Ant schema allows none (junit-10.xsd
//   rejects "skipped" there anyway); each testsuite carries its counts.
// - a waived failure is <skipped>, never a pass and not a failure: CI shows
//   it apart, in agreement with the exit code; "skipped" counts it.
// - failure/error bodies repeat the verdict and the evidence: GitLab shows
//   only the body of <failure>/<error>, never <system-out>.
// - text that XML 1.0 cannot carry (most control characters, malformed
//   UTF-8) is replaced with U+FFFD; pugixml does the escaping.
#include <string>
#include <string_view>

#include "results/result.hpp"

namespace vantage::reports {

std::string render_junit(const results::RunReport& report);

// One part of a dotted classname, with the rule above applied.
std::string junit_classname_part(std::string_view part);

}  // namespace vantage::reports
