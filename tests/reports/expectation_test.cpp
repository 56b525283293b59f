#include "reports/expectation.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace vantage::reports {
namespace {

TEST(ReportsExpectation, WordsForEveryShippedKind) {
  EXPECT_EQ(describe_expectation("tcp", 8728, "not-open"),
            "port 8728 is not open (refused or filtered)");
  EXPECT_EQ(describe_expectation("routeros-api", 8729, "restricted"),
            "the API service on port 8729 refuses this source (its address list)");
  EXPECT_EQ(describe_expectation("tls", 8729,
                                 json{{"accept", {"TLSv1.2"}}, {"reject", {"SSLv3", "TLSv1.0"}}}),
            "accepts TLSv1.2; refuses SSLv3, TLSv1.0");
  EXPECT_EQ(describe_expectation(
                "tls", 8729,
                json{{"forbid_ciphers", {"anonymous", "null"}}, {"require_forward_secrecy", true}}),
            "no anonymous, null cipher suites; forward secrecy on every suite");
  EXPECT_EQ(describe_expectation("routeros-api", 8729,
                                 json{{"login", "ok"}, {"pre_login", "fatal"}, {"read", "ok"}}),
            "login ok; a command before login gets fatal; reading ok");
  EXPECT_EQ(
      describe_expectation("certificate", 8729,
                           json{{"trust", {{"ca_file", "/x/ca.pem"}}}, {"min_days_left", 30}}),
      "at least 30 days before the certificate expires; a certificate that chains to "
      "/x/ca.pem");
}

TEST(ReportsExpectation, UnknownKindsStillReadAsWordsNotJson) {
  std::string t = describe_expectation(
      "future", 1, json{{"some_new_key", {"a", "b"}}, {"nested", {{"deep_key", 3}}}});
  EXPECT_EQ(t, "nested: deep_key 3; some new key: a, b");
  EXPECT_EQ(t.find_first_of("{}[]\""), std::string::npos);
  EXPECT_EQ(describe_expectation("future", 1, "half-open"), "half open");
}

TEST(ReportsExpectation, FixesOncePerTextMostSevereFirst) {
  auto s = testing::sample_report();
  auto& results = s.report.scenarios[0].results;
  auto fx = fixes(s.report);
  ASSERT_EQ(fx.size(), 1u);  // the sample has one failure
  EXPECT_EQ(fx[0].checks, std::vector<std::string>{"api-plain-closed"});
  EXPECT_NE(fx[0].text.find("api-plain-closed"), std::string::npos) << fx[0].text;
  // A low one with its own fix, first in the report, and the same check again.
  auto low = results[1];
  auto common = std::make_shared<results::CheckCommon>(*low.check);
  common->id = "other";
  common->severity = "low";
  common->fix = "Disable the plain API: /ip service disable api";
  low.check = common.get();
  results.push_back(results[1]);
  results.insert(results.begin(), low);
  fx = fixes(s.report);
  ASSERT_EQ(fx.size(), 2u);
  EXPECT_EQ(fx[0].severity, "critical");  // most severe first, whatever the report order
  EXPECT_EQ(fx[0].checks, std::vector<std::string>{"api-plain-closed"});
  EXPECT_EQ(fx[1].severity, "low");
  EXPECT_EQ(fx[1].text, "Disable the plain API: /ip service disable api");
}

}  // namespace
}  // namespace vantage::reports
