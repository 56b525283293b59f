// SARIF: a rule per check, a result per check x target x source, level from
// severity, the scenario line as location, baselineState and suppressions.
#include "reports/sarif.hpp"

#include <gtest/gtest.h>

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

TEST(Sarif, APathIsAUri) {
  auto s = testing::sample_report();
  s.report.scenarios[0].file = "/srv/ci scenarios/core (1).json";
  const auto r = sarif_of(s.report)["runs"][0]["results"][0];
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///srv/ci%20scenarios/core%20%281%29.json");
}

}  // namespace
}  // namespace vantage::reports
