#include "reports/html.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

using testing::sample_report;

TEST(ReportsHtml, MatchesGolden) {
  auto s = sample_report();
  std::string html = testing::normalize_version(render_html(s.report));
  EXPECT_EQ(testing::golden_mismatch("sample.html", html), "");
}

TEST(ReportsHtml, EscapesEverythingFromTheRecords) {
  auto s = sample_report();
  s.report.scenarios[0].name = "<script>alert(1)</script>";
  s.report.scenarios[0].results[0].source = "m\"><img src=x>";
  std::string html = render_html(s.report);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<&\"plaintext\">"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("port 8728 answered &lt;&amp;&quot;plaintext&quot;&gt; from mgmt"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;&amp;\\&quot;x\\&quot;&lt;/b&gt;"), std::string::npos);
}

TEST(ReportsHtml, SelfContainedWithSummaryAndEvidence) {
  auto s = sample_report();
  std::string html = render_html(s.report);
  // No external assets: no src/href attributes, no url(), no @import.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=)")));
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"pill fail\">1 failed</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"pill pass\">2 passed</span>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\">"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"error\">"), std::string::npos);
  EXPECT_NE(html.find("<details><summary>evidence"), std::string::npos);
  // Two tables: one per scenario x target.
  std::size_t tables = 0;
  for (auto p = html.find("<table>"); p != std::string::npos; p = html.find("<table>", p + 1))
    ++tables;
  EXPECT_EQ(tables, 2u);
}

TEST(ReportsHtml, XmllintParsesItAsHtml) {
  auto s = sample_report();
  auto path = std::filesystem::temp_directory_path() /
              ("vantage-html-" + std::to_string(::getpid()) + ".html");
  std::ofstream(path) << render_html(s.report);
  int rc = std::system(("xmllint --html --noout " + path.string() + " 2>/dev/null").c_str());
  std::filesystem::remove(path);
  EXPECT_EQ(rc, 0);
}

}  // namespace
}  // namespace vantage::reports
