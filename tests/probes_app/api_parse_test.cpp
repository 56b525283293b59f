// Validation of routeros-api and rest checks: the plaintext-credentials rule,
// no literal passwords, expectation forms, and schema/keys agreement.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace vantage::probes {
namespace {

using testing::parse_check;

bool has_error(const testing::Parsed& p, const std::string& path, const std::string& text) {
  for (const auto& d : p.diags)
    if (d.path == path && d.message.find(text) != std::string::npos) return true;
  return false;
}

TEST(ApiParse, PlaintextLoginRejectedUnlessAllowed) {
  auto p = parse_check(
      "routeros-api",
      R"({"login": {"user": "audit", "password_env": "X"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(has_error(p, "login", "allow_plaintext_credentials")) << p.errors();
  EXPECT_TRUE(has_error(p, "login", "\"tls\": true")) << p.errors();
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
  EXPECT_TRUE(has_error(rest, "login", "plain HTTP")) << rest.errors();
}

TEST(ApiParse, LiteralPasswordIsAnErrorNamingTheAlternatives) {
  for (const char* probe : {"routeros-api", "rest"}) {
    auto p = parse_check(
        probe,
        R"({"tls": true, "login": {"user": "audit", "password": "hunter2"}, "expect": {"login": "ok"}})");
    EXPECT_TRUE(has_error(p, "login.password", "password_env")) << probe << ": " << p.errors();
    EXPECT_TRUE(has_error(p, "login.password", "password_file")) << p.errors();
    // The secret itself never appears in a diagnostic.
    EXPECT_EQ(p.errors().find("hunter2"), std::string::npos);
  }
  auto both = parse_check(
      "routeros-api",
      R"({"tls": true, "login": {"user": "a", "password_env": "X", "password_file": "f"}, "expect": {"login": "ok"}})");
  EXPECT_TRUE(has_error(both, "login", "exactly one")) << both.errors();
}

TEST(ApiParse, ExpectationForms) {
  for (const char* w : {"api", "no-api", "not-api", "restricted"}) {
    auto p = parse_check("routeros-api", std::string(R"({"expect": ")") + w + "\"}");
    EXPECT_TRUE(p.diags.empty()) << w << ": " << p.errors();
  }
  auto typo = parse_check("routeros-api", R"({"expect": "restriced"})");
  EXPECT_TRUE(has_error(typo, "expect", "did you mean \"restricted\"")) << typo.errors();
  auto nologin = parse_check("routeros-api", R"({"expect": {"write": "denied"}})");
  EXPECT_TRUE(has_error(nologin, "expect.write", "needs a login")) << nologin.errors();
  auto badkey = parse_check("routeros-api", R"({"expect": {"wirte": "denied"}})");
  EXPECT_FALSE(badkey.diags.empty());
  auto sessions = parse_check("routeros-api", R"({"expect": {"max_sessions": "enforced"}})");
  EXPECT_TRUE(has_error(sessions, "expect.max_sessions", "\"max_sessions\": N"))
      << sessions.errors();
  auto obj = parse_check(
      "routeros-api",
      R"({"max_sessions": 5, "expect": {"pre_login": "fatal", "legacy_login": false, "max_sessions": "enforced"}})");
  EXPECT_TRUE(obj.diags.empty()) << obj.errors();
  auto tlsonly = parse_check("routeros-api", R"({"ca_file": "/etc/hosts", "expect": "api"})");
  EXPECT_TRUE(has_error(tlsonly, "ca_file", "only with \"tls\": true")) << tlsonly.errors();
}

TEST(RestParse, ExpectationForms) {
  for (const char* w :
       {"rest-api", "not-rest", "no-http", "no-rest-on-plain-http", "auth-required"}) {
    auto p = parse_check("rest", std::string(R"({"expect": ")") + w + "\"}");
    EXPECT_TRUE(p.diags.empty()) << w << ": " << p.errors();
  }
  auto https = parse_check("rest", R"({"tls": true, "expect": "no-rest-on-plain-http"})");
  EXPECT_TRUE(has_error(https, "expect", "checks plain HTTP")) << https.errors();
  auto auth = parse_check(
      "rest",
      R"({"tls": true, "login": {"user": "a", "password_env": "X"}, "expect": "auth-required"})");
  EXPECT_TRUE(has_error(auth, "login", "sends no credentials")) << auth.errors();
  auto path = parse_check("rest", R"({"path": "rest/x y", "expect": "rest-api"})");
  EXPECT_TRUE(has_error(path, "path", "start with /")) << path.errors();
  auto login = parse_check("rest", R"({"tls": true, "expect": {"login": "ok"}})");
  EXPECT_TRUE(has_error(login, "expect", "needs a login")) << login.errors();
}

// Every key a probe accepts has a schema entry and the other way round.
TEST(ApiParse, SchemaCoversKeys) {
  for (const char* name : {"routeros-api", "rest"}) {
    const Probe* p = find_probe(name);
    ASSERT_NE(p, nullptr) << name;
    auto schema = p->schema();
    std::vector<std::string> keys = p->keys();
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> props;
    for (const auto& [k, v] : schema.items()) props.push_back(k);
    std::sort(props.begin(), props.end());
    EXPECT_EQ(keys, props) << name;
  }
}

}  // namespace
}  // namespace vantage::probes
