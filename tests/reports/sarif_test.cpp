// SARIF: a rule per check, a result per check x target x source (per finding
// for a failure with findings), level from severity, the scenario line as
// location, baselineState and suppressions.
#include "reports/sarif.hpp"

#include <gtest/gtest.h>

#include <set>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

json sarif_of(const results::RunReport& r) {
  return json::parse(render_sarif(r));
}

TEST(Sarif, ARulePerCheckAndAResultPerCheckTargetSource) {
  const auto s = testing::acceptance_sample();
  const auto doc = sarif_of(s.report);
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 4u);  // api-ssl-mgmt, api-plain-closed, no-plaintext-api, telnet-closed
  EXPECT_EQ(rules[0]["id"], "api-ssl-mgmt");
  EXPECT_EQ(rules[0]["shortDescription"]["text"], "API-SSL reachable from mgmt");
  EXPECT_NE(rules[0]["help"]["text"].get<std::string>().find("open"), std::string::npos);
  EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "error");    // critical
  EXPECT_EQ(rules[3]["defaultConfiguration"]["level"], "warning");  // medium
  EXPECT_EQ(run["results"].size(), s.report.scenarios[0].results.size());
}

TEST(Sarif, KindLevelLocationBaselineAndSuppression) {
  const auto results = sarif_of(testing::acceptance_sample().report)["runs"][0]["results"];
  EXPECT_EQ(results[0]["kind"], "pass");
  EXPECT_EQ(results[0]["level"], "none");
  EXPECT_EQ(results[0]["baselineState"], "unchanged");
  EXPECT_EQ(results[1]["kind"], "fail");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[1]["baselineState"], "new");
  EXPECT_FALSE(results[1].contains("suppressions"));  // its waiver expired
  EXPECT_NE(results[1]["message"]["text"].get<std::string>().find("expired"), std::string::npos);
  EXPECT_EQ(results[2]["kind"], "open");  // an error: not evaluated
  EXPECT_EQ(results[3]["kind"], "notApplicable");
  EXPECT_EQ(results[4]["baselineState"], "updated");
  const auto& waived = results[5];
  EXPECT_EQ(waived["kind"], "fail");
  EXPECT_EQ(waived["level"], "warning");
  EXPECT_EQ(waived["suppressions"][0]["status"], "accepted");
  EXPECT_NE(waived["suppressions"][0]["justification"].get<std::string>().find("CHG-42"),
            std::string::npos);
  EXPECT_EQ(waived["properties"]["vantageStatus"], "waived");
  const auto& loc = waived["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "scenarios/core.jsonc");
  EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(loc["region"]["startLine"], 10 + 23 % 7);
  EXPECT_EQ(loc["region"]["startColumn"], 5);
}

// GitHub code scanning: one alert per failing finding, told apart by
// partialFingerprints (all point at the check's line), each message its text
// and fix; advice is informational; a pass keeps one result.
TEST(Sarif, AResultPerFinding) {
  const auto s = testing::findings_sample();
  const auto run = sarif_of(s.report)["runs"][0];
  const auto& results = run["results"];
  // 6 results per check, but the failure's 4 findings replace its one result.
  ASSERT_EQ(results.size(), s.report.scenarios[0].results.size() + 3);
  EXPECT_EQ(results[0]["kind"], "pass");
  EXPECT_EQ(results[0]["properties"]["findings"][0]["kind"], "available update");
  EXPECT_EQ(results[0]["properties"]["findings"][0]["info"], true);
  std::set<std::string> fingerprints;
  for (int i = 1; i <= 4; ++i) {
    const auto& r = results[i];
    EXPECT_EQ(r["ruleId"], "api-plain-closed");
    EXPECT_EQ(r["baselineState"], "new");
    EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 10 + 8728 % 7);
    EXPECT_EQ(r["properties"]["vantageStatus"], "fail");
    fingerprints.insert(r["partialFingerprints"]["vantageIdentity/v1"].get<std::string>());
  }
  EXPECT_EQ(fingerprints.size(), 4u);  // the same suite twice is two results, two identities
  EXPECT_EQ(results[1]["kind"], "fail");
  EXPECT_EQ(results[1]["level"], "error");  // critical
  EXPECT_EQ(results[1]["message"]["text"].get<std::string>().rfind(
                "service telnet is enabled (port 23) Fix: /ip service disable telnet [target "
                "core-rtr-1, source mgmt]",
                0),
            0u)
      << results[1]["message"];
  EXPECT_NE(results[1]["message"]["text"].get<std::string>().find("expired"), std::string::npos);
  EXPECT_EQ(results[1]["properties"]["finding"]["kind"], "enabled service");
  EXPECT_EQ(results[1]["properties"]["finding"]["item"], "telnet");
  EXPECT_EQ(results[1]["properties"]["finding"]["fix"], "/ip service disable telnet");
  EXPECT_EQ(results[2]["properties"]["finding"]["category"], "null");
  EXPECT_EQ(results[4]["kind"], "informational");
  EXPECT_EQ(results[4]["level"], "none");
  // The waived failure's finding keeps the suppression.
  const auto& waived = results.back();
  EXPECT_EQ(waived["kind"], "fail");
  EXPECT_EQ(waived["suppressions"][0]["status"], "accepted");
  EXPECT_EQ(waived["properties"]["finding"]["item"], "telnet");
  // Its identity differs from the check-level one it had without findings.
  const auto plain = sarif_of(testing::acceptance_sample().report)["runs"][0]["results"];
  EXPECT_NE(waived["partialFingerprints"], plain.back()["partialFingerprints"]);
  // The fingerprints stand on kind and item, not the text: a changed number
  // (days left, a port) keeps the alert.
  auto changed = testing::findings_sample();
  changed.report.scenarios[0].results[1].verdict.findings[0].text =
      "service telnet is enabled (port 2323)";
  EXPECT_EQ(sarif_of(changed.report)["runs"][0]["results"][1]["partialFingerprints"],
            results[1]["partialFingerprints"]);
}

TEST(Sarif, APathIsAUri) {
  auto s = testing::sample_report();
  s.report.scenarios[0].file = "/srv/ci scenarios/core (1).json";
  const auto r = sarif_of(s.report)["runs"][0]["results"][0];
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///srv/ci%20scenarios/core%20%281%29.json");
}

}  // namespace
}  // namespace vantage::reports
