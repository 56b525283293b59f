#include "reports/junit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <pugixml.hpp>
#include <regex>

#include "fixture.hpp"
#include "reports/console.hpp"
#include "reports/html.hpp"
#include "reports/json_report.hpp"

namespace vantage::reports {
namespace {

using results::Status;
using testing::sample_report;

// Runs a shell command, returns stdout; exit status in `status`.
std::string run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  status = ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class TempXml {
 public:
  explicit TempXml(const std::string& text) {
    path_ =
        std::filesystem::temp_directory_path() /
        ("vantage-junit-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".xml");
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempXml() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  auto res = doc.load_string(xml.c_str());
  EXPECT_TRUE(res) << res.description();
  return doc;
}

TEST(ReportsJunit, MatchesGolden) {
  auto s = sample_report();
  std::string xml = testing::normalize_version(render_junit(s.report));
  EXPECT_EQ(testing::golden_mismatch("sample.junit.xml", xml), "");
}

TEST(ReportsJunit, XmllintAcceptsItAndRequiredAttributesArePresent) {
  auto s = sample_report();
  TempXml file(render_junit(s.report));
  int status = -1;
  std::string out = run("xmllint --noout " + file.path() + " 2>&1", status);
  EXPECT_EQ(status, 0) << out;

  // Each XPath counts elements that lack something required; all must be 0.
  const char* missing[] = {
      // The Ant schema allows no attribute on <testsuites>; junit-10.xsd no file.
      "count(/testsuites/@* | //testcase/@file)",
      "count(//testsuite[not(@name) or not(@tests) or not(@failures) or not(@errors) or "
      "not(@skipped) or not(@time) or not(@timestamp) or not(@hostname) or not(@id) or "
      "not(@package) or not(system-out) or not(system-err)])",
      "count(//testsuite[not(properties/property[@name='vantage.version']) or "
      "not(properties/property[@name='target.name']) or "
      "not(properties/property[@name='target.host'])])",
      "count(//testcase[not(@name) or not(@classname) or not(@time)])",
      "count(//failure[not(@type) or not(@message)])",
      "count(//error[not(@type) or not(@message)])",
      "count(//skipped[@type or not(@message)])",  // Ant's <skipped> has no type
      "count(//testcase/system-out)",              // nor has its <testcase> output
  };
  for (const char* xpath : missing) {
    std::string got = run("xmllint --xpath \"" + std::string(xpath) + "\" " + file.path(), status);
    EXPECT_EQ(status, 0) << xpath;
    EXPECT_EQ(got, "0") << xpath;
  }
  // And the positive side: the counts are really there.
  std::string cases = run("xmllint --xpath \"count(//testcase)\" " + file.path(), status);
  EXPECT_EQ(cases, "5");
  std::string src =
      run("xmllint --xpath "
          "\"string(//testsuite[1]/properties/property[@name='source.mgmt']/@value)\" " +
              file.path(),
          status);
  EXPECT_EQ(src, "mgmt (address 192.0.2.10)");
}

TEST(ReportsJunit, CountsAgreeWithTheTestcases) {
  auto s = sample_report();
  auto doc = parse(render_junit(s.report));
  auto root = doc.child("testsuites");
  EXPECT_FALSE(root.first_attribute());  // the Ant schema allows none
  int suites = 0;
  for (auto suite : root.children("testsuite")) {
    ++suites;
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    for (auto tc : suite.children("testcase")) {
      ++tests;
      failures += tc.child("failure") ? 1 : 0;
      errors += tc.child("error") ? 1 : 0;
      skipped += tc.child("skipped") ? 1 : 0;
    }
    EXPECT_EQ(suite.attribute("tests").as_int(), tests);
    EXPECT_EQ(suite.attribute("failures").as_int(), failures);
    EXPECT_EQ(suite.attribute("errors").as_int(), errors);
    EXPECT_EQ(suite.attribute("skipped").as_int(), skipped);
  }
  EXPECT_EQ(suites, 2);
}

TEST(ReportsJunit, StatusElementsCarryExpectedVersusObserved) {
  auto s = sample_report();
  auto doc = parse(render_junit(s.report));
  auto fail = doc.select_node("//testcase[@name='api-plain-closed [mgmt]']/failure").node();
  ASSERT_TRUE(fail);
  EXPECT_STREQ(fail.attribute("type").value(), "expectation-failed");
  EXPECT_STREQ(fail.attribute("message").value(), "expected not-open, observed open");
  // GitLab shows only the element body: the verdict and evidence must be there.
  std::string body = fail.text().get();
  EXPECT_NE(body.find("port 8728 answered <&\"plaintext\"> from mgmt"), std::string::npos) << body;
  EXPECT_NE(body.find("\"banner\": \"<b>&\\\"x\\\"</b>\""), std::string::npos) << body;
  // ...once: system-out points there instead of repeating it.
  std::string out = fail.parent().parent().child("system-out").text().get();
  EXPECT_EQ(out.find("\"banner\""), std::string::npos) << out;
  EXPECT_NE(out.find("== api-plain-closed [mgmt]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("evidence: in the failure details\n"), std::string::npos) << out;

  auto err = doc.select_node("//testcase[@name='api-plain-closed [outside]']/error").node();
  ASSERT_TRUE(err);
  EXPECT_STREQ(err.attribute("message").value(),
               "expected not-open, observed nothing: source outside could not be used");
  EXPECT_NE(std::string(err.text().get()).find("bind 198.51.100.9"), std::string::npos);

  auto skip = doc.select_node("//testcase[@name='no-plaintext-api']/skipped").node();
  ASSERT_TRUE(skip);
  EXPECT_STREQ(skip.attribute("message").value(), "capture disabled by --no-capture");
  EXPECT_STREQ(skip.text().get(), "capture disabled by --no-capture");

  auto pass = doc.select_node("//testcase[@name='api-ssl-mgmt [mgmt]']").node();
  ASSERT_TRUE(pass);
  EXPECT_FALSE(pass.child("failure") || pass.child("error") || pass.child("skipped"));
}

// GitLab and Jenkins show the failure body: every finding is a line of it,
// with its own fix; a pass's advice is in system-out.
TEST(ReportsJunit, FailureBodyListsTheFindings) {
  auto s = testing::findings_sample();
  auto doc = parse(render_junit(s.report));
  auto fail = doc.select_node("//testcase[@name='api-plain-closed [mgmt]']/failure").node();
  ASSERT_TRUE(fail);
  const std::string body = fail.text().get();
  EXPECT_NE(body.find("4 findings:\n"
                      "- service telnet is enabled (port 23) (fix: /ip service disable telnet)\n"
                      "- TLSv1.0 accepts TLS_RSA_WITH_NULL_SHA\n"
                      "- TLSv1.1 accepts TLS_RSA_WITH_NULL_SHA\n"
                      "- api-ssl is on its default port 8729 (fix: /ip service set api-ssl "
                      "port=<port>) [info]\n"),
            std::string::npos)
      << body;
  const std::string out = fail.parent().parent().child("system-out").text().get();
  EXPECT_NE(out.find("finding: RouterOS 7.16.2 is available (fix: /system package update "
                     "install) [info]\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("- service telnet"), std::string::npos) << out;  // once, in the body
}

TEST(ReportsJunit, EscapesMarkupInAttributesAndText) {
  auto s = sample_report();
  std::string xml = render_junit(s.report);
  // The raw message never appears unescaped...
  EXPECT_EQ(xml.find("<&\"plaintext\">"), std::string::npos);
  // ...and round-trips exactly through an XML parser.
  auto doc = parse(xml);
  auto out = doc.select_node("//testsuite[1]/system-out").node();
  EXPECT_NE(std::string(out.text().get())
                .find("verdict: fail: port 8728 answered <&\"plaintext\"> from mgmt"),
            std::string::npos);
}

TEST(ReportsJunit, ControlCharactersAndBadUtf8StayWellFormed) {
  auto s = sample_report();
  auto& r = s.report.scenarios[0].results[1];
  using namespace std::string_literals;
  r.verdict.message = "banner \x01\x1b[31mred\x1b[0m \xff\xfe end\0x"s;
  r.verdict.observed = "open\x02";
  TempXml file(render_junit(s.report));
  int status = -1;
  std::string out = run("xmllint --noout " + file.path() + " 2>&1", status);
  EXPECT_EQ(status, 0) << out;
}

TEST(ReportsJunit, TimeIsPlainDecimalSeconds) {
  auto s = sample_report();
  auto doc = parse(render_junit(s.report));
  std::regex plain(R"(^[0-9]+\.[0-9]{3}$)");
  for (auto x : doc.select_nodes("//@time")) {
    EXPECT_TRUE(std::regex_match(std::string(x.attribute().value()), plain))
        << x.attribute().value();
  }
  EXPECT_STREQ(doc.select_node("//testcase[@name='api-ssl-mgmt [mgmt]']/@time").attribute().value(),
               "0.000");  // 12 us
  EXPECT_STREQ(
      doc.select_node("//testcase[@name='api-plain-closed [outside]']/@time").attribute().value(),
      "12345.600");
  // The suite spans its checks' wall-clock time (they run concurrently).
  EXPECT_STREQ(doc.select_node("//testsuite[1]/@time").attribute().value(), "12345.602");
}

TEST(ReportsJunit, TimestampIsIso8601WithoutZone) {
  auto s = sample_report();
  auto doc = parse(render_junit(s.report));
  std::regex form(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$)");
  for (auto x : doc.select_nodes("//testsuite/@timestamp"))
    EXPECT_TRUE(std::regex_match(std::string(x.attribute().value()), form));
  EXPECT_STREQ(doc.select_node("//testsuite[1]/@timestamp").attribute().value(),
               "2026-11-25T15:04:05");
}

TEST(ReportsJunit, ClassnameStaysTwoLevel) {
  EXPECT_EQ(junit_classname_part("core-rtr-1 api hardening"), "core-rtr-1_api_hardening");
  EXPECT_EQ(junit_classname_part("192.0.2.7"), "192_0_2_7");
  EXPECT_EQ(junit_classname_part("a\tb\nc"), "a_b_c");
  EXPECT_EQ(junit_classname_part(""), "_");
  auto s = sample_report();
  auto doc = parse(render_junit(s.report));
  for (auto x : doc.select_nodes("//testcase/@classname")) {
    std::string cn = x.attribute().value();
    EXPECT_EQ(std::count(cn.begin(), cn.end(), '.'), 1) << cn;
  }
  EXPECT_TRUE(doc.select_node("//testcase[@classname='core-rtr-1_api_hardening.192_0_2_7']"));
}

TEST(ReportsJunit, TestcaseNamesAreUnique) {
  auto s = sample_report();
  auto& sc = s.report.scenarios[0];
  sc.results.push_back(sc.results[1]);  // same check, target and source again
  sc.results.push_back(sc.results[1]);
  results::ScenarioResult copy = sc;  // a second scenario with the same name
  s.report.scenarios.push_back(copy);
  auto doc = parse(render_junit(s.report));
  std::set<std::string> keys;
  int n = 0;
  for (auto x : doc.select_nodes("//testcase")) {
    ++n;
    std::string key = std::string(x.node().attribute("classname").value()) + "|" +
                      x.node().attribute("name").value();
    EXPECT_TRUE(keys.insert(key).second) << "duplicate " << key;
  }
  EXPECT_EQ(n, 14);
  EXPECT_TRUE(doc.select_node("//testcase[@name='api-plain-closed [mgmt] #3']"));
  std::set<std::string> suites;
  for (auto x : doc.select_nodes("//testsuite/@name"))
    EXPECT_TRUE(suites.insert(x.attribute().value()).second) << x.attribute().value();
}

TEST(ReportsJunit, ArtifactsAreAttachmentLinesOnTheirOwn) {
  auto s = sample_report();
  s.report.artifacts.push_back({"pcap", "relative/dir/../x.pcap"});
  auto doc = parse(render_junit(s.report));
  for (auto x : doc.select_nodes("//testsuite/system-out")) {
    std::string out = x.node().text().get();
    EXPECT_NE(out.find("\n[[ATTACHMENT|/var/tmp/vantage-run/capture.pcap]]\n"), std::string::npos);
    std::string rel =
        "[[ATTACHMENT|" + (std::filesystem::current_path() / "relative/x.pcap").string() + "]]\n";
    EXPECT_NE(out.find(rel), std::string::npos) << out;
  }
}

TEST(ReportsJunit, EmptyRunIsStillAValidDocument) {
  results::RunReport empty;
  std::string xml = render_junit(empty);
  auto doc = parse(xml);
  EXPECT_EQ(doc.child("testsuites").attribute("tests").as_int(), 0);
  TempXml file(xml);
  int status = -1;
  run("xmllint --noout " + file.path(), status);
  EXPECT_EQ(status, 0);
}

TEST(ReportsJunit, NullPointersInARecordDoNotCrash) {
  results::RunReport rep;
  results::ScenarioResult sc;
  sc.name = "bare";
  results::CheckResult r;  // no check, spec or observation; default verdict is error
  r.target = "t";
  sc.results.push_back(r);
  rep.scenarios.push_back(sc);
  auto doc = parse(render_junit(rep));
  EXPECT_TRUE(doc.select_node("//testcase[@name='check']/error"));
}

}  // namespace
}  // namespace vantage::reports

namespace vantage::reports {
namespace {

// A fleet-sized run: 50 targets x 40 checks x 2 sources. Every format renders,
// the XML stays valid, and the names stay unique. Times are printed, not
// asserted (shared CI machines).
TEST(ReportsJunit, FleetSizedRun) {
  testing::Sample s;
  results::ScenarioResult sc;
  sc.name = "fleet";
  std::vector<const results::CheckCommon*> checks;
  for (int c = 0; c < 40; ++c) checks.push_back(s.check("check-" + std::to_string(c), "tcp", 8729));
  for (int t = 0; t < 50; ++t) {
    std::string target = "10.0." + std::to_string(t) + ".1";
    sc.targets.push_back(target);
    for (const auto* c : checks)
      for (const char* src : {"mgmt", "outside"}) {
        auto r = testing::result(c, target, target, src, src, Status::kFail, "not-open", "open",
                                 "open from " + std::string(src), 0.01, 0);
        r.observation = testing::obs("open", "192.0.2.10", {{"outcome", "open"}, {"rtt_ms", 0.3}});
        sc.results.push_back(std::move(r));
      }
  }
  s.report.scenarios.push_back(std::move(sc));
  auto t0 = std::chrono::steady_clock::now();
  std::string xml = render_junit(s.report);
  auto t1 = std::chrono::steady_clock::now();
  std::printf("[ measure  ] 4000 cases: junit %.0f ms, %zu bytes\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count(), xml.size());
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  auto t2 = std::chrono::steady_clock::now();
  std::string js = render_json_text(s.report);
  auto t3 = std::chrono::steady_clock::now();
  std::string html = render_html(s.report);
  auto t4 = std::chrono::steady_clock::now();
  std::string con = render_console(s.report, true);
  auto t5 = std::chrono::steady_clock::now();
  std::printf("[ measure  ] json %.0f ms (%zu bytes), html %.0f ms (%zu bytes), console %.0f ms\n",
              ms(t2, t3), js.size(), ms(t3, t4), html.size(), ms(t4, t5));
  EXPECT_EQ(json::parse(js)["counts"]["fail"], 4000);
  TempXml file(xml);
  int status = -1;
  EXPECT_EQ(run("xmllint --xpath \"count(//testcase)\" " + file.path(), status), "4000");
  EXPECT_EQ(run("xmllint --xpath \"count(//testsuite)\" " + file.path(), status), "50");
  auto doc = parse(xml);
  std::set<std::string> keys;
  for (auto x : doc.select_nodes("//testcase"))
    keys.insert(std::string(x.node().attribute("classname").value()) + "|" +
                x.node().attribute("name").value());
  EXPECT_EQ(keys.size(), 4000u);
}

}  // namespace
}  // namespace vantage::reports
