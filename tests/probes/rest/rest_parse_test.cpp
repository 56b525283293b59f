// Validation of rest checks: expectation forms and the rules that tie them to
// "tls", "login" and "path".
#include <gtest/gtest.h>

#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using testing::parse_check;

TEST(RestParse, ExpectationForms) {
  for (const char* w :
       {"rest-api", "not-rest", "no-http", "no-rest-on-plain-http", "auth-required"}) {
    auto p = parse_check("rest", std::string(R"({"expect": ")") + w + "\"}");
    EXPECT_TRUE(p.diags.empty()) << w << ": " << p.errors();
  }
  auto https = parse_check("rest", R"({"tls": true, "expect": "no-rest-on-plain-http"})");
  EXPECT_TRUE(https.has_error("expect", "checks plain HTTP")) << https.errors();
  auto auth = parse_check(
      "rest",
      R"({"tls": true, "login": {"user": "a", "password_env": "X"}, "expect": "auth-required"})");
  EXPECT_TRUE(auth.has_error("login", "sends no credentials")) << auth.errors();
  auto path = parse_check("rest", R"({"path": "rest/x y", "expect": "rest-api"})");
  EXPECT_TRUE(path.has_error("path", "start with /")) << path.errors();
  auto login = parse_check("rest", R"({"tls": true, "expect": {"login": "ok"}})");
  EXPECT_TRUE(login.has_error("expect", "needs a login")) << login.errors();
}

}  // namespace
}  // namespace vantage::probes
