// The rest probe against the lab router's www / www-ssl REST service, each
// expectation in the configuration that passes and the one that fails.
#include <gtest/gtest.h>

#include <cstdio>

#include "lab/router.hpp"
#include "tests/probes/peers/lab_config.hpp"
#include "tests/probes/peers/loopback.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

lab::LabConfig rest_config(bool rest_plain) {
  auto c = testing::lab_config();
  lab::Service www;
  www.name = "www";
  c.services["www"] = www;
  lab::Service ssl;
  ssl.name = "www-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  c.services["www-ssl"] = ssl;
  c.groups["apionly"] = {"read", "api"};  // no rest-api policy
  c.users.push_back(lab::User{"apiuser", "apionly", "Ap1-User-9x", {}, false});
  c.rest_plain = rest_plain;
  return c;
}

class RestLab : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("VT_AUDIT_PW", testing::kAuditPassword, 1);
    ::setenv("VT_WRONG_PW", "not-the-password", 1);
    ::setenv("VT_APIUSER_PW", "Ap1-User-9x", 1);
  }
  testing::CheckRun run(lab::Router& r, const char* service, const std::string& check,
                        const std::string& source = "127.0.0.1") {
    testing::RunOptions o;
    o.port = r.port(service);
    o.source = source;
    o.timeout = std::chrono::milliseconds(2000);
    return testing::run_check("rest", check, o);
  }
};

TEST_F(RestLab, RestPlainOnFailsNoRestOnPlainHttp) {
  lab::Router r(rest_config(true));
  r.start();
  auto out = run(r, "www", R"({"expect": "no-rest-on-plain-http"})");
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "rest-api");
  EXPECT_NE(out.verdict.message.find("plain HTTP on " + std::to_string(r.port("www")) +
                                     " from mgmt serves the RouterOS REST API"),
            std::string::npos)
      << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("401"), std::string::npos);
  EXPECT_NE(out.verdict.message.find("rest-plain=no"), std::string::npos);
  EXPECT_EQ(run(r, "www", R"({"expect": "rest-api"})").verdict.status, Status::kPass);
}

TEST_F(RestLab, RestPlainOffPassesNoRestOnPlainHttp) {
  lab::Router r(rest_config(false));
  r.start();
  auto out = run(r, "www", R"({"expect": "no-rest-on-plain-http"})");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "not-rest");
  // HTTPS still serves it.
  auto ssl = run(r, "www-ssl", R"({"tls": true, "expect": "rest-api"})");
  EXPECT_EQ(ssl.verdict.status, Status::kPass) << ssl.verdict.message;
}

TEST_F(RestLab, WwwDisabledPassesNoRestOnPlainHttp) {
  auto cfg = rest_config(true);
  cfg.services["www"].disabled = true;
  lab::Router r(cfg);
  r.start();
  testing::RunOptions o;
  o.port = testing::free_port();
  auto out = testing::run_check("rest", R"({"expect": "no-rest-on-plain-http"})", o);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "no-http");
}

TEST_F(RestLab, HttpsAuthRequiredAndLogin) {
  lab::Router r(rest_config(true));
  r.start();
  auto auth = run(r, "www-ssl", R"({"tls": true, "expect": "auth-required"})");
  EXPECT_EQ(auth.verdict.status, Status::kPass) << auth.verdict.message;
  auto ok = run(
      r, "www-ssl",
      R"({"tls": true, "login": {"user": "audit", "password_env": "VT_AUDIT_PW"}, "expect": {"login": "ok"}})");
  EXPECT_EQ(ok.verdict.status, Status::kPass) << ok.verdict.message;
  EXPECT_EQ(ok.evidence().dump().find(testing::kAuditPassword), std::string::npos);
  auto wrong = run(
      r, "www-ssl",
      R"({"tls": true, "login": {"user": "audit", "password_env": "VT_WRONG_PW"}, "expect": {"login": "ok"}})");
  EXPECT_EQ(wrong.verdict.status, Status::kFail);
  EXPECT_NE(wrong.verdict.message.find("was denied"), std::string::npos) << wrong.verdict.message;
  EXPECT_EQ(
      run(r, "www-ssl",
          R"({"tls": true, "login": {"user": "audit", "password_env": "VT_WRONG_PW"}, "expect": {"login": "denied"}})")
          .verdict.status,
      Status::kPass);
}

TEST_F(RestLab, UserWithoutRestApiPolicyIsDenied) {
  lab::Router r(rest_config(true));
  r.start();
  auto out = run(
      r, "www-ssl",
      R"({"tls": true, "login": {"user": "apiuser", "password_env": "VT_APIUSER_PW"}, "expect": {"login": "ok"}})");
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("rest-api policy"), std::string::npos);
}

TEST_F(RestLab, HttpsVerifiedAgainstLabCa) {
  lab::Router r(rest_config(true));
  r.start();
  char tmpl[] = "/tmp/vt-rca-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  const std::string ca = r.ca_pem();
  ASSERT_EQ(::write(fd, ca.data(), ca.size()), static_cast<ssize_t>(ca.size()));
  ::close(fd);
  auto out = run(
      r, "www-ssl",
      std::string(R"({"tls": true, "ca_file": ")") + tmpl +
          R"(", "login": {"user": "audit", "password_env": "VT_AUDIT_PW"}, "expect": {"login": "ok"}})");
  ::unlink(tmpl);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_TRUE(out.evidence()["tls_verified"].get<bool>());
  EXPECT_TRUE(out.obs->warnings.empty());
}

TEST_F(RestLab, PlainLoginNeedsAllowAndWarns) {
  lab::Router r(rest_config(true));
  r.start();
  auto out = run(
      r, "www",
      R"({"allow_plaintext_credentials": true, "login": {"user": "audit", "password_env": "VT_AUDIT_PW"}, "expect": {"login": "ok"}})");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  ASSERT_EQ(out.obs->warnings.size(), 1u);
  EXPECT_NE(out.obs->warnings[0].find("clear text over plain HTTP"), std::string::npos);
}

}  // namespace
}  // namespace vantage::probes
