#include "reports/json_report.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

using testing::sample_report;

TEST(ReportsJson, MatchesGolden) {
  auto s = sample_report();
  std::string text = testing::normalize_version(render_json_text(s.report));
  EXPECT_EQ(testing::golden_mismatch("sample.json", text), "");
}

TEST(ReportsJson, IsVersionedAndCounted) {
  auto s = sample_report();
  json j = render_json(s.report);
  EXPECT_EQ(j["format"], "vantage-report");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["vantage_version"], kVersion);
  EXPECT_EQ(j["started"], "2026-11-25T15:04:04.750Z");
  EXPECT_DOUBLE_EQ(j["elapsed_s"].get<double>(), 2.0134);
  EXPECT_EQ(
      j["counts"],
      json({{"total", 5}, {"pass", 2}, {"fail", 1}, {"error", 1}, {"skip", 1}, {"waived", 0}}));
  ASSERT_EQ(j["scenarios"].size(), 1u);
  const auto& sc = j["scenarios"][0];
  EXPECT_EQ(sc["file"], "scenarios/core.jsonc");
  ASSERT_EQ(sc["targets"].size(), 2u);
  EXPECT_EQ(sc["targets"][0]["name"], "core-rtr-1");
  EXPECT_EQ(sc["targets"][0]["host"], "192.0.2.1");
  EXPECT_EQ(sc["targets"][0]["counts"]["total"], 4);
  EXPECT_EQ(sc["targets"][1]["counts"]["total"], 1);
  EXPECT_EQ(j["artifacts"],
            json::parse(R"([{"kind":"pcap","path":"/var/tmp/vantage-run/capture.pcap"}])"));
  EXPECT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["permission_errors"], json::array());
  s.report.permission_errors.push_back("capture needs CAP_NET_RAW");
  EXPECT_EQ(render_json(s.report)["permission_errors"], json::array({"capture needs CAP_NET_RAW"}));
}

TEST(ReportsJson, EveryCheckCarriesItsRecord) {
  auto s = sample_report();
  json j = render_json(s.report);
  const auto& checks = j["scenarios"][0]["targets"][0]["checks"];
  ASSERT_EQ(checks.size(), 4u);
  const auto& fail = checks[1];
  EXPECT_EQ(fail["id"], "api-plain-closed");
  EXPECT_EQ(fail["probe"], "tcp");
  EXPECT_EQ(fail["port"], 8728);
  EXPECT_EQ(fail["severity"], "critical");
  EXPECT_EQ(fail["source"], "mgmt");
  EXPECT_EQ(fail["expected"], "not-open");
  EXPECT_EQ(fail["verdict"]["status"], "fail");
  EXPECT_EQ(fail["verdict"]["message"], "port 8728 answered <&\"plaintext\"> from mgmt");
  EXPECT_EQ(fail["verdict"]["observed"], "open");
  EXPECT_EQ(fail["observation"]["local_address"], "192.0.2.10");
  EXPECT_EQ(fail["observation"]["warnings"], json::array({"retransmitted SYN"}));
  EXPECT_EQ(fail["observation"]["evidence"]["banner"], "<b>&\"x\"</b>");
  const auto& err = checks[2];
  EXPECT_EQ(err["verdict"]["status"], "error");
  EXPECT_EQ(err["observation"]["error"], "bind 198.51.100.9: Cannot assign requested address");
  const auto& skip = checks[3];
  EXPECT_EQ(skip["verdict"]["status"], "skip");
  EXPECT_TRUE(skip["source"].is_null());
  EXPECT_TRUE(skip["port"].is_null());
  EXPECT_TRUE(skip["observation"].is_null());
}

TEST(ReportsJson, FindingsAreAnArrayOfObjects) {
  const auto s = testing::findings_sample();
  json j = render_json(s.report);
  const auto& checks = j["scenarios"][0]["targets"][0]["checks"];
  const auto& f = checks[1]["verdict"]["findings"];
  ASSERT_TRUE(f.is_array());
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], json({{"kind", "enabled service"},
                        {"item", "telnet"},
                        {"category", nullptr},
                        {"text", "service telnet is enabled (port 23)"},
                        {"fix", "/ip service disable telnet"},
                        {"info", false}}));
  EXPECT_EQ(f[1]["category"], "null");
  EXPECT_EQ(f[1]["fix"], nullptr);
  EXPECT_EQ(f[3]["info"], true);
  // Advice on a pass is there too; a check without findings has an empty array.
  EXPECT_EQ(checks[0]["verdict"]["findings"][0]["kind"], "available update");
  EXPECT_EQ(checks[2]["verdict"]["findings"], json::array());
}

TEST(ReportsJson, TextSurvivesBadUtf8AndThrowingEvidence) {
  auto s = sample_report();
  auto& r = s.report.scenarios[0].results[0];
  r.verdict.message = "bad \xff byte";
  auto bad = std::make_shared<testing::ThrowingObservation>();
  r.observation = bad;
  std::string text = render_json_text(s.report);
  json back = json::parse(text);
  const auto& c = back["scenarios"][0]["targets"][0]["checks"][0];
  EXPECT_EQ(c["verdict"]["message"], "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(c["observation"]["evidence"]["evidence_error"], "evidence exploded");
}

// The text is written check by check into the tree without them (to keep a
// fleet's report from being held twice at peak): it must be the tree's dump
// byte for byte, whatever the records hold: the pattern it splices at, a
// newline, bad UTF-8, several scenarios, a target without a host.
TEST(ReportsJson, TextIsTheTreesDumpByteForByte) {
  const std::string sneaky = "x\n          \"checks\": []";
  auto plain = sample_report();
  auto hostile = sample_report();
  auto& sc = hostile.report.scenarios[0];
  sc.results[0].verdict.message = sneaky + " \xff";
  sc.results[1].target = sneaky;
  sc.targets.push_back(sneaky);
  auto* odd = hostile.check(sneaky, "tcp", 8728, "high", sneaky);
  sc.results.push_back(testing::result(odd, "checks", "", "mgmt", sneaky, results::Status::kFail,
                                       sneaky, sneaky, sneaky, 0.5, 3));
  hostile.report.scenarios.push_back(sc);
  hostile.report.scenarios.back().name = "second";
  hostile.report.warnings.push_back(sneaky);
  for (const auto* s : {&plain, &hostile}) {
    const std::string tree =
        render_json(s->report).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    EXPECT_EQ(render_json_text(s->report), tree);
  }
}

}  // namespace
}  // namespace vantage::reports
