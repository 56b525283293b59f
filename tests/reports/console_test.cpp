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
