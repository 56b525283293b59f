#include "reports/format.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

using testing::at;

TEST(ReportsFormat, DecimalSecondsFixedPointNeverExponent) {
  EXPECT_EQ(decimal_seconds(0.000012), "0.000");
  EXPECT_EQ(decimal_seconds(12345.6), "12345.600");
  EXPECT_EQ(decimal_seconds(1e7), "10000000.000");
  EXPECT_EQ(decimal_seconds(0.0215), "0.021");  // 0.0215 is 0.02149999... in binary
  EXPECT_EQ(decimal_seconds(1.0005, 6), "1.000500");
  EXPECT_EQ(decimal_seconds(0.000012, 6), "0.000012");
  EXPECT_EQ(decimal_seconds(-3), "0.000");
  EXPECT_EQ(decimal_seconds(std::numeric_limits<double>::quiet_NaN()), "0.000");
  EXPECT_EQ(decimal_seconds(std::numeric_limits<double>::infinity()), "0.000");
}

TEST(ReportsFormat, TimestampsIso8601Forms) {
  EXPECT_EQ(iso8601_utc(at(0)), "2026-11-25T15:04:05.000Z");
  EXPECT_EQ(iso8601_utc(at(1250)), "2026-11-25T15:04:06.250Z");
  EXPECT_EQ(iso8601_naive(at(999)), "2026-11-25T15:04:05");
  EXPECT_EQ(iso8601_naive(at(-250)), "2026-11-25T15:04:04");  // floor, not truncation toward 0
}

TEST(ReportsFormat, HumanDurationPicksAUnit) {
  EXPECT_EQ(human_duration(0.000012), "0 ms");
  EXPECT_EQ(human_duration(0.0213), "21 ms");
  EXPECT_EQ(human_duration(2.0134), "2.01 s");
  EXPECT_EQ(human_duration(12345.6), "205 min 46 s");
}

TEST(ReportsFormat, XmlSafeTextReplacesWhatXmlCannotCarry) {
  EXPECT_EQ(xml_safe_text("plain <&\"> text\ttab\nline"), "plain <&\"> text\ttab\nline");
  EXPECT_EQ(xml_safe_text(std::string("a\x01z", 3)), "a\xEF\xBF\xBDz");
  EXPECT_EQ(xml_safe_text(std::string("nul\0", 4)), "nul\xEF\xBF\xBD");
  EXPECT_EQ(xml_safe_text("\x1b[31m"), "\xEF\xBF\xBD[31m");
  EXPECT_EQ(xml_safe_text("bad \xff byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(xml_safe_text("overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(xml_safe_text("truncated \xE2\x82"), "truncated \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(xml_safe_text("surrogate \xED\xA0\x80"),
            "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(xml_safe_text("euro \xE2\x82\xAC ok"), "euro \xE2\x82\xAC ok");
  EXPECT_EQ(xml_safe_text("\xF0\x9F\x94\x92 lock"), "\xF0\x9F\x94\x92 lock");
  EXPECT_EQ(xml_safe_text("\xEF\xBF\xBE"), "\xEF\xBF\xBD");  // U+FFFE is not a character
}

TEST(ReportsFormat, HtmlEscapeEscapesMarkupCharacters) {
  EXPECT_EQ(html_escape("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
}

TEST(ReportsFormat, GroupByTargetKeepsOrderAndDropsNothing) {
  auto s = testing::sample_report();
  auto& sc = s.report.scenarios[0];
  sc.results.push_back(sc.results[0]);
  sc.results.back().target = "unlisted";
  auto groups = group_by_target(sc);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].name, "core-rtr-1");
  EXPECT_EQ(groups[0].host, "192.0.2.1");
  EXPECT_EQ(groups[0].results.size(), 4u);
  EXPECT_EQ(groups[1].name, "192.0.2.7");
  EXPECT_EQ(groups[1].results.size(), 1u);
  EXPECT_EQ(groups[2].name, "unlisted");
  EXPECT_EQ(groups[2].results.size(), 1u);
}

TEST(ReportsFormat, ScenarioLabelFallsBackToFileName) {
  results::ScenarioResult s;
  EXPECT_EQ(scenario_label(s), "scenario");
  s.file = "/etc/vantage/edge.jsonc";
  EXPECT_EQ(scenario_label(s), "edge.jsonc");
  s.name = "edge";
  EXPECT_EQ(scenario_label(s), "edge");
}

TEST(ReportsFormat, EvidenceOfSurvivesAThrowingProbe) {
  testing::ThrowingObservation o;
  EXPECT_EQ(evidence_of(&o), json({{"evidence_error", "evidence exploded"}}));
  EXPECT_TRUE(evidence_of(nullptr).is_null());
}

}  // namespace
}  // namespace vantage::reports
