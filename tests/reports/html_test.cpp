#include "reports/html.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
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
  // The one script is the matrix's, after everything from the records.
  EXPECT_EQ(html.find("<script>"), html.rfind("<script>"));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<&\"plaintext\">"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("port 8728 answered &lt;&amp;&quot;plaintext&quot;&gt; from mgmt"),
            std::string::npos);
  // In the evidence <pre>, element text: quotes need no escape there.
  EXPECT_NE(html.find("&lt;b&gt;&amp;\\\"x\\\"&lt;/b&gt;"), std::string::npos);
}

TEST(ReportsHtml, SelfContainedWithSummaryAndEvidence) {
  auto s = sample_report();
  std::string html = render_html(s.report);
  // No external assets: no src attribute, links only within the page, no
  // url(), no @import.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(src\s*=)")));
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(href\s*=\s*"?[^#"])")));
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"pill fail\" id=\"count-fail\">1 failed</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"pill pass\" id=\"count-pass\">2 passed</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr id=\"c0-1\" class=\"fail\" data-check=\"api-plain-closed\">"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"error\" data-check=\"api-plain-closed\">"), std::string::npos);
  // Styles and the matrix's one script only by hash: nothing injected could
  // run or restyle.
  EXPECT_EQ(html.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(html.find("<script"), html.rfind("<script"));
  // One target: no matrix, so no script at all, and the CSP allows none.
  s.report.scenarios[0].results.pop_back();
  s.report.scenarios[0].targets.pop_back();
  const std::string one = render_html(s.report);
  EXPECT_EQ(one.find("<script"), std::string::npos);
  EXPECT_EQ(one.find("script-src"), std::string::npos);
  EXPECT_EQ(one.find("id=\"matrix\""), std::string::npos);
  EXPECT_NE(html.find("<details><summary>evidence"), std::string::npos);
  // Two tables: one per scenario x target.
  std::size_t tables = 0;
  for (auto p = html.find("<table>"); p != std::string::npos; p = html.find("<table>", p + 1))
    ++tables;
  EXPECT_EQ(tables, 2u);
}

std::string sha256_b64(const std::string& text) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), md);
  unsigned char b64[64] = {};
  EVP_EncodeBlock(b64, md, SHA256_DIGEST_LENGTH);
  return reinterpret_cast<char*>(b64);
}

// The CSP admits the style sheet and the matrix's script by their SHA-256:
// recompute both from the page.
TEST(ReportsHtml, CspHashIsTheStyleSheets) {
  auto s = sample_report();
  std::string html = render_html(s.report);
  auto a = html.find("<style>") + 7, b = html.find("</style>");
  ASSERT_LT(a, b);
  const std::string want = "style-src 'sha256-" + sha256_b64(html.substr(a, b - a)) + "'";
  EXPECT_NE(html.find(want), std::string::npos) << want;
  a = html.find("<script>") + 8, b = html.find("</script>");
  ASSERT_LT(a, b);
  const std::string js = "script-src 'sha256-" + sha256_b64(html.substr(a, b - a)) + "'";
  EXPECT_NE(html.find(js), std::string::npos) << js;
}

TEST(ReportsHtml, FixPanelFirstAndExpectationsInWords) {
  auto s = sample_report();
  s.report.scenarios[0].results[1].verdict.findings = {
      {"accepted version", "TLSv1.0", "", "TLSv1.0 accepted; expected refused"},
      {"forbidden suite", "S1", "null", "TLSv1.2 accepts forbidden suite S1 (null)",
       "remove the null suites"}};
  std::string html = render_html(s.report);
  const auto fix = html.find("<section id=\"fix\"><h2>What to fix</h2>");
  ASSERT_NE(fix, std::string::npos);
  EXPECT_LT(fix, html.find("<table>"));
  EXPECT_NE(html.find("<li data-checks=\"api-plain-closed\"><span class=\"sev\">critical</span> "
                      "Make api-plain-closed pass: port 8728 is not open (refused or filtered)."),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<strong>expected:</strong> port 8728 is not open (refused or filtered)"),
            std::string::npos);
  EXPECT_NE(html.find("1 accepted version: TLSv1.0; 1 forbidden suite: null 1"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<summary>2 findings</summary>"), std::string::npos);
  EXPECT_NE(html.find("<li>TLSv1.2 accepts forbidden suite S1 (null) (fix: remove the null "
                      "suites)</li>"),
            std::string::npos);
  // Nothing failed: the panel says so.
  for (auto& r : s.report.scenarios[0].results) r.verdict.status = results::Status::kPass;
  EXPECT_NE(render_html(s.report).find("<p>No check failed.</p>"), std::string::npos);
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
