#include "reports/console.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

using testing::sample_report;

TEST(ReportsConsole, MatchesGoldenWithoutColour) {
  auto s = sample_report();
  std::string text = testing::normalize_version(render_console(s.report, false));
  EXPECT_EQ(testing::golden_mismatch("sample.console.txt", text), "");
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(ReportsConsole, OneLinePerCheckAndSource) {
  auto s = sample_report();
  std::string text = render_console(s.report, false);
  for (const char* needle :
       {"PASS    api-ssl-mgmt      core-rtr-1  mgmt     expected open, observed open\n",
        "FAIL    api-plain-closed  core-rtr-1  mgmt     expected not-open, observed open - port "
        "8728 "
        "answered <&\"plaintext\"> from mgmt\n",
        "ERROR   api-plain-closed  core-rtr-1  outside  source outside could not be used (bind "
        "198.51.100.9: Cannot assign requested address)\n",
        "SKIP    no-plaintext-api  core-rtr-1  -        capture disabled by --no-capture\n",
        "5 checks: 2 passed, 1 failed, 1 error, 1 skipped in 2.01 s",
        "pcap: /var/tmp/vantage-run/capture.pcap\n"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  }
}

TEST(ReportsConsole, ColourOnlyWhenAsked) {
  auto s = sample_report();
  std::string text = render_console(s.report, true);
  EXPECT_NE(text.find("\x1b[1;31mFAIL  \x1b[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\x1b[32mPASS  \x1b[0m"), std::string::npos);
  EXPECT_NE(text.find("\x1b[1;33mERROR \x1b[0m"), std::string::npos);
  EXPECT_NE(text.find("\x1b[1;31m1 failed\x1b[0m"), std::string::npos);
}

TEST(ReportsConsole, NetworkTextCannotDriveTheTerminal) {
  auto s = sample_report();
  auto& r = s.report.scenarios[0].results[1];
  r.verdict.message =
      "evil \x1b]0;owned\x07 \x1b[2J banner\r\nnext \xc2\x9b"
      "31m";
  std::string text = render_console(s.report, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(text.find("evil \\x1b]0;owned\\x07 \\x1b[2J banner  next \\u009b31m"),
            std::string::npos)
      << text;
}

TEST(ReportsConsole, StructuredExpectationsGiveWayToTheMessage) {
  auto s = sample_report();
  auto& r = s.report.scenarios[0].results[1];
  r.verdict.expected = R"({"accept":["TLSv1.2"],"reject":["SSLv3","TLSv1.0","TLSv1.1"]})";
  r.verdict.observed = "TLSv1.0";
  r.verdict.message = "TLSv1.0 accepted";
  std::string text = render_console(s.report, false);
  EXPECT_NE(text.find("mgmt     TLSv1.0 accepted\n"), std::string::npos) << text;
  r.verdict.message.clear();  // no message: the long form is all there is
  text = render_console(s.report, false);
  EXPECT_NE(text.find("mgmt     expected {\"accept\""), std::string::npos) << text;
}

TEST(ReportsConsole, NothingTestedStillSummarises) {
  results::RunReport empty;
  std::string text = render_console(empty, false);
  EXPECT_NE(text.find("0 checks: 0 passed, 0 failed, 0 errors, 0 skipped"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace vantage::reports

namespace vantage::reports {
namespace {

TEST(ReportsConsole, FindingsCollapsedByKindAndAllWithVerbose) {
  auto s = testing::sample_report();
  auto& v = s.report.scenarios[0].results[1].verdict;
  v.message = "3 findings: (1) ... a long enumeration";
  v.findings = {
      {"accepted version", "TLSv1.0", "", "TLSv1.0 accepted; expected refused"},
      {"forbidden suite", "S1", "null", "TLSv1.2 accepts forbidden suite S1 (null)"},
      {"forbidden suite", "S2", "anonymous", "TLSv1.2 accepts forbidden suite S2 (anon)"}};
  std::string text = render_console(s.report, false);
  EXPECT_NE(text.find("1 accepted version: TLSv1.0; 2 forbidden suites: null 1, anonymous 1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("a long enumeration"), std::string::npos);
  EXPECT_EQ(text.find("accepts forbidden suite S1"), std::string::npos);
  std::string all = render_console(s.report, false, true);
  for (const auto& f : v.findings) EXPECT_NE(all.find("- " + f.text + "\n"), std::string::npos);
}

TEST(ReportsConsole, EndsWithToFixOncePerFixMostSevereFirst) {
  auto s = testing::sample_report();
  auto& results = s.report.scenarios[0].results;
  auto low = results[1];
  auto common = std::make_shared<results::CheckCommon>(*low.check);
  common->id = "telnet-off";
  common->severity = "low";
  common->fix = "/ip service disable telnet";
  low.check = common.get();
  results.insert(results.begin(), low);
  results.push_back(results[2]);  // api-plain-closed failing again (another target)
  std::string text = render_console(s.report, false);
  const auto at = text.find("To fix:\n");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.substr(at),
            "To fix:\n"
            "  critical Make api-plain-closed pass: port 8728 is not open (refused or filtered)."
            "  (api-plain-closed)\n"
            "  low      /ip service disable telnet  (telnet-off)\n");
  // Nothing failed: no "To fix:".
  for (auto& r : results) r.verdict.status = results::Status::kPass;
  EXPECT_EQ(render_console(s.report, false).find("To fix:"), std::string::npos);
}

// A failing finding's own fix (a RouterOS command) is more precise than the
// check's: "To fix:" lists those, each once; advice never gets there.
TEST(ReportsConsole, ToFixListsTheFindingsOwnFixes) {
  auto s = testing::findings_sample();
  s.report.scenarios[0].results[5].verdict.status = results::Status::kFail;  // not waived
  std::string text = render_console(s.report, false);
  const auto at = text.find("To fix:\n");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.substr(at),
            "To fix:\n"
            "  critical /ip service disable telnet  (api-plain-closed, telnet-closed)\n"
            "  critical Make api-plain-closed pass: port 8728 is not open (refused or filtered)."
            "  (api-plain-closed)\n");
  // Advice alone on a pass leaves the line to the message; -v lists it with its fix.
  EXPECT_EQ(text.find("7.16.2 is available"), std::string::npos) << text;
  std::string all = render_console(s.report, false, true);
  EXPECT_NE(all.find("- RouterOS 7.16.2 is available (fix: /system package update install) "
                     "[info]\n"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace vantage::reports
