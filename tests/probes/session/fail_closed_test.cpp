// Verdicts that hold on real networks: silence, a slow handshake, a budget
// used up by held sessions, a refusal for another reason than permissions and
// an anonymous TLS peer never pass; each is an error that says why.
#include <gtest/gtest.h>

#include "lab/router.hpp"
#include "probes/rest/rest_probe.hpp"
#include "tests/probes/peers/api_peer.hpp"
#include "tests/probes/peers/lab_config.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using routeros::Sentence;
using testing::FakeServer;
using testing::lab_config;
using testing::run_check;
using testing::RunOptions;

const char* kAuditLogin = R"("login": {"user": "audit", "password_env": "VT_AUDIT_PW"})";

class FailClosed : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("VT_AUDIT_PW", testing::kAuditPassword, 1); }
};

lab::Service api_ssl(lab::Certificate::Kind kind) {
  lab::Service s;
  s.name = "api-ssl";
  s.certificate.kind = kind;
  return s;
}

// ---- F3: silence and slowness are not restrictions ----

// A slow board: api-ssl takes 1.5 s from accept to its handshake. The source
// is allowed; nothing restricts it. The first TLS connection gets part of the
// 2 s budget and times out: that must not read as "restricted (silent)".
TEST_F(FailClosed, SlowApiSslHandshakeIsNotRestricted) {
  auto cfg = lab_config();
  cfg.services["api-ssl"] = api_ssl(lab::Certificate::Kind::kSelfSigned);
  cfg.services["api-ssl"].accept_delay = std::chrono::milliseconds(1500);
  lab::Router r(cfg);
  r.start();
  RunOptions o;
  o.port = r.port("api-ssl");
  o.timeout = std::chrono::milliseconds(2000);
  auto out = run_check("routeros-api", R"({"tls": true, "expect": "restricted"})", o);
  EXPECT_NE(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  auto no_api = run_check("routeros-api", R"({"tls": true, "expect": "no-api"})", o);
  EXPECT_EQ(no_api.verdict.status, Status::kError) << no_api.verdict.message;
}

// The lab's silent restriction mode without an opt-in: silence is not proof.
TEST_F(FailClosed, SilentRestrictionWithoutOptInIsAnError) {
  auto cfg = lab_config();
  cfg.services["api"].address = {*lab::Prefix::parse("127.0.0.1/32")};
  cfg.services["api"].disallowed = lab::Disallowed::kSilent;
  lab::Router r(cfg);
  r.start();
  RunOptions o;
  o.port = r.port("api");
  o.source = "127.0.0.2";
  o.source_name = "outside";
  o.timeout = std::chrono::milliseconds(1500);
  auto out = run_check("routeros-api", R"({"expect": "restricted"})", o);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("silen"), std::string::npos) << out.verdict.message;
  auto no_api = run_check("routeros-api", R"({"expect": "no-api"})", o);
  EXPECT_EQ(no_api.verdict.status, Status::kError) << no_api.verdict.message;
}

// A plain API port that accepts and then says nothing is not "no-api".
TEST_F(FailClosed, AcceptThenSilenceIsNotNoApi) {
  FakeServer srv([](int fd, const std::atomic<bool>& stop) {
    for (int t = 0; t < 50 && !stop; ++t) FakeServer::read_some(fd, 100);
  });
  RunOptions o;
  o.port = srv.port();
  o.timeout = std::chrono::milliseconds(1000);
  auto out = run_check("routeros-api", R"({"expect": "no-api"})", o);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_LT(out.elapsed_ms, 1500);
}

// REST: connected, request sent, no answer before the deadline.
TEST_F(FailClosed, RestResponseTimeoutIsNotNoHttp) {
  FakeServer srv([](int fd, const std::atomic<bool>& stop) {
    for (int t = 0; t < 50 && !stop; ++t) FakeServer::read_some(fd, 100);
  });
  RunOptions o;
  o.port = srv.port();
  o.timeout = std::chrono::milliseconds(1000);
  for (const char* expect : {"no-http", "no-rest-on-plain-http"}) {
    auto out = run_check("rest", std::string(R"({"expect": ")") + expect + "\"}", o);
    EXPECT_EQ(out.verdict.status, Status::kError) << expect << ": " << out.verdict.message;
  }
}

// ---- F2: max-sessions needs a real answer from the extra session ----

// The held sessions are slow to be served and use up the budget; the extra
// session then has almost no time and hears nothing. Not "enforced".
TEST_F(FailClosed, MaxSessionsHoldersUsingTheBudgetIsNotEnforced) {
  // Connection 1: detection and pre-login; 2-4: the held sessions; 5: the extra.
  FakeServer srv(testing::api_peer([](int conn, const Sentence& s) -> std::vector<Sentence> {
                   if (conn >= 2 && conn <= 4)
                     std::this_thread::sleep_for(std::chrono::milliseconds(400));
                   if (conn >= 5) return {};  // the extra session: silence
                   if (s.command() == "/login")
                     return {Sentence{"!trap", "=message=invalid user name or password (6)"},
                             Sentence{"!done"}};
                   return {Sentence{"!fatal", "not logged in"}};
                 }),
                 true);
  RunOptions o;
  o.port = srv.port();
  // 200 ms settle + 3 x 400 ms of holders leave the extra session ~150 ms.
  o.timeout = std::chrono::milliseconds(1550);
  auto out = run_check("routeros-api",
                       R"({"max_sessions": 3, "expect": {"max_sessions": "enforced"}})", o);
  EXPECT_NE(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
}

// The extra session is accepted and then hears nothing: unknown, not enforced.
TEST_F(FailClosed, MaxSessionsSilentExtraIsNotEnforced) {
  FakeServer srv(testing::api_peer([](int conn, const Sentence& s) -> std::vector<Sentence> {
                   if (conn >= 5) return {};  // the extra session: accepted, then silence
                   if (s.command() == "/login")
                     return {Sentence{"!trap", "=message=invalid user name or password (6)"},
                             Sentence{"!done"}};
                   return {Sentence{"!fatal", "not logged in"}};
                 }),
                 true);
  RunOptions o;
  o.port = srv.port();
  o.timeout = std::chrono::milliseconds(2500);
  auto out = run_check("routeros-api",
                       R"({"max_sessions": 3, "expect": {"max_sessions": "enforced"}})", o);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
}

// ---- F15: denied means a permission answer ----

std::string least_priv(const char* expect) {
  return std::string(R"({"allow_plaintext_credentials": true, )") + kAuditLogin +
         R"(, "expect": )" + expect + "}";
}

TEST_F(FailClosed, WriteDeniedNeedsAPermissionTrap) {
  FakeServer bad_value(testing::api_peer(testing::logged_in_router([] {
    return std::vector<Sentence>{Sentence{"!trap", "=message=failure: bad value for name"},
                                 Sentence{"!done"}};
  })));
  RunOptions o;
  o.port = bad_value.port();
  auto out = run_check("routeros-api", least_priv(R"({"login": "ok", "write": "denied"})"), o);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("failure: bad value for name"), std::string::npos)
      << out.verdict.message;

  FakeServer fatal(testing::api_peer(testing::logged_in_router([] {
    return std::vector<Sentence>{Sentence{"!fatal", "session terminated"}};
  })));
  o.port = fatal.port();
  auto f = run_check("routeros-api", least_priv(R"({"login": "ok", "write": "denied"})"), o);
  EXPECT_EQ(f.verdict.status, Status::kError) << f.verdict.message;
  EXPECT_NE(f.verdict.message.find("session terminated"), std::string::npos) << f.verdict.message;

  FakeServer perm(testing::api_peer(testing::logged_in_router([] {
    return std::vector<Sentence>{Sentence{"!trap", "=message=not enough permissions (9)"},
                                 Sentence{"!done"}};
  })));
  o.port = perm.port();
  auto p = run_check("routeros-api", least_priv(R"({"login": "ok", "write": "denied"})"), o);
  EXPECT_EQ(p.verdict.status, Status::kPass) << p.verdict.message;
}

TEST_F(FailClosed, ReadDeniedNeedsAPermissionTrap) {
  FakeServer srv(testing::api_peer([](int, const Sentence& s) -> std::vector<Sentence> {
    if (s.command() == "/login") {
      if (s.attr("name") == "vantage-probe")
        return {Sentence{"!trap", "=message=invalid user name or password (6)"}, Sentence{"!done"}};
      return {Sentence{"!done"}};
    }
    return {Sentence{"!trap", "=message=no such command prefix"}, Sentence{"!done"}};
  }));
  RunOptions o;
  o.port = srv.port();
  auto out = run_check("routeros-api", least_priv(R"({"login": "ok", "read": "denied"})"), o);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("no such command prefix"), std::string::npos)
      << out.verdict.message;
}

// ---- F7: no credential over an anonymous TLS session ----

bool audit_login_logged(const lab::Router& r) {
  for (const auto& e : r.log())
    if (e.user == "audit") return true;
  return false;
}

TEST_F(FailClosed, AnonymousApiSslGetsNoCredential) {
  auto cfg = lab_config();
  cfg.services["api-ssl"] = api_ssl(lab::Certificate::Kind::kNone);
  lab::Router r(cfg);
  r.start();
  RunOptions o;
  o.port = r.port("api-ssl");
  for (const char* ciphers : {"", R"("ciphers": "ADH:@SECLEVEL=0", )"}) {
    auto out = run_check("routeros-api",
                         std::string(R"({"tls": true, )") + ciphers + kAuditLogin +
                             R"(, "expect": {"login": "ok", "read": "ok"}})",
                         o);
    EXPECT_NE(out.verdict.status, Status::kPass) << out.verdict.message;
    EXPECT_NE(out.verdict.message.find("anonymous"), std::string::npos) << out.verdict.message;
    EXPECT_FALSE(out.evidence()["tls_verified"].get<bool>());
    const std::string dump = out.evidence()["transcript"].dump();
    EXPECT_EQ(dump.find("=name=audit"), std::string::npos) << dump;
  }
  EXPECT_FALSE(audit_login_logged(r)) << "the password reached the anonymous peer";
}

TEST_F(FailClosed, AnonymousHttpsGetsNoCredential) {
  auto cfg = lab_config();
  lab::Service www;
  www.name = "www-ssl";
  www.certificate.kind = lab::Certificate::Kind::kNone;
  cfg.services["www-ssl"] = www;
  lab::Router r(cfg);
  r.start();
  RunOptions o;
  o.port = r.port("www-ssl");
  auto out = run_check("rest",
                       std::string(R"({"tls": true, "ciphers": "ADH:@SECLEVEL=0", )") +
                           kAuditLogin + R"(, "expect": {"login": "ok"}})",
                       o);
  EXPECT_NE(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_FALSE(out.evidence()["sent_credentials"].get<bool>());
  EXPECT_NE(out.verdict.message.find("anonymous"), std::string::npos) << out.verdict.message;
  EXPECT_FALSE(audit_login_logged(r)) << "the password reached the anonymous peer";
}

}  // namespace
}  // namespace vantage::probes
