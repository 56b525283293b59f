// Validation of routeros-api checks (and of rest's where both share a rule):
// the plaintext-credentials rule, no literal passwords, expectation forms.
// Schema/keys agreement of every probe: tests/probes/registry_test.cpp.
#include <gtest/gtest.h>

#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using testing::parse_check;

TEST(ApiParse, PlaintextLoginRejectedUnlessAllowed) {
  auto p = parse_check(
      "routeros-api",
      R"({"login": {"user": "audit", "password_env": "X"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(p.has_error("login", "allow_plaintext_credentials")) << p.errors();
  EXPECT_TRUE(p.has_error("login", "\"tls\": true")) << p.errors();
  auto ok = parse_check(
      "routeros-api",
      R"({"login": {"user": "audit", "password_env": "X"}, "allow_plaintext_credentials": true, "expect": {"login": "ok"}})");
  EXPECT_TRUE(ok.diags.empty()) << ok.errors();
  auto tls = parse_check(
      "routeros-api",
      R"({"tls": true, "login": {"user": "audit", "password_env": "X"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(tls.diags.empty()) << tls.errors();
  auto rest = parse_check(
      "rest", R"({"login": {"user": "audit", "password_env": "X"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(rest.has_error("login", "plain HTTP")) << rest.errors();
}

TEST(ApiParse, LiteralPasswordIsAnErrorNamingTheAlternatives) {
  for (const char* probe : {"routeros-api", "rest"}) {
    auto p = parse_check(
        probe,
        R"({"tls": true, "login": {"user": "audit", "password": "hunter2"}, "expect": {"login": "ok"}})");
    EXPECT_TRUE(p.has_error("login.password", "password_env")) << probe << ": " << p.errors();
    EXPECT_TRUE(p.has_error("login.password", "password_file")) << p.errors();
    // The secret itself never appears in a diagnostic.
    EXPECT_EQ(p.errors().find("hunter2"), std::string::npos);
  }
  auto both = parse_check(
      "routeros-api",
      R"({"tls": true, "login": {"user": "a", "password_env": "X", "password_file": "f"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(both.has_error("login", "exactly one")) << both.errors();
}

TEST(ApiParse, ExpectationForms) {
  for (const char* w : {"api", "no-api", "not-api", "restricted"}) {
    auto p = parse_check("routeros-api", std::string(R"({"expect": ")") + w + "\"}");
    EXPECT_TRUE(p.diags.empty()) << w << ": " << p.errors();
  }
  auto typo = parse_check("routeros-api", R"({"expect": "restriced"})");
  EXPECT_TRUE(typo.has_error("expect", "did you mean \"restricted\"")) << typo.errors();
  auto nologin = parse_check("routeros-api", R"({"expect": {"write": "denied"}})");
  EXPECT_TRUE(nologin.has_error("expect.write", "needs a login")) << nologin.errors();
  auto badkey = parse_check("routeros-api", R"({"expect": {"wirte": "denied"}})");
  EXPECT_FALSE(badkey.diags.empty());
  auto sessions = parse_check("routeros-api", R"({"expect": {"max_sessions": "enforced"}})");
  EXPECT_TRUE(sessions.has_error("expect.max_sessions", "\"max_sessions\": N"))
      << sessions.errors();
  auto obj = parse_check(
      "routeros-api",
      R"({"max_sessions": 5, "expect": {"pre_login": "fatal", "legacy_login": false, "max_sessions": "enforced"}})");
  EXPECT_TRUE(obj.diags.empty()) << obj.errors();
  auto tlsonly = parse_check("routeros-api", R"({"ca_file": "/etc/hosts", "expect": "api"})");
  EXPECT_TRUE(tlsonly.has_error("ca_file", "only with \"tls\": true")) << tlsonly.errors();
}

}  // namespace
}  // namespace vantage::probes
