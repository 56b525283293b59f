// The routeros-api probe against the in-process lab router, each expectation
// in the configuration that should pass and in the one that should fail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "lab/router.hpp"
#include "probes/routeros_api/routeros_api_probe.hpp"
#include "tests/probes/peers/api_peer.hpp"
#include "tests/probes/peers/fake_server.hpp"
#include "tests/probes/peers/lab_config.hpp"
#include "tests/probes/peers/loopback.hpp"
#include "tests/support/link_profile.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/topology.hpp"

namespace vantage::probes {
namespace {

using testing::lab_config;
using testing::run_check;
using testing::RunOptions;

class ApiProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("VT_AUDIT_PW", testing::kAuditPassword, 1);
    ::setenv("VT_ADMIN_PW", "Adm1n-Secret-42", 1);
    ::setenv("VT_WRONG_PW", "not-the-password", 1);
  }
  testing::CheckRun run(lab::Router& r, const std::string& check, const char* service = "api",
                        const std::string& source = "127.0.0.1", int timeout_ms = 3000) {
    RunOptions o;
    o.port = r.port(service);
    o.source = source;
    o.timeout = std::chrono::milliseconds(timeout_ms);
    return run_check("routeros-api", check, o);
  }
};

const char* kAuditLogin = R"("login": {"user": "audit", "password_env": "VT_AUDIT_PW"})";

std::string plain_login_check(const std::string& expect, const char* login = kAuditLogin) {
  return std::string(R"({"allow_plaintext_credentials": true, )") + login + R"(, "expect": )" +
         expect + "}";
}

// ---- plain api enabled / disabled ----

TEST_F(ApiProbe, PlainApiEnabledFailsNoApiWithOperatorMessage) {
  lab::Router r(lab_config());
  r.start();
  auto out = run(r, R"({"expect": "no-api"})");
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "api");
  auto port = std::to_string(r.port("api"));
  EXPECT_NE(
      out.verdict.message.find("plain API on " + port +
                               " answered `!trap =message=invalid user name or password (6)`"),
      std::string::npos)
      << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("the api service is enabled and reachable from mgmt"),
            std::string::npos);
  EXPECT_NE(out.verdict.message.find("/ip service set api disabled=yes"), std::string::npos);
  // The probe said it used the dummy user, and the router logged exactly that.
  auto ev = out.evidence();
  EXPECT_NE(ev["detection"]["note"].get<std::string>().find(routeros::kDetectionUser),
            std::string::npos);
  bool logged = false;
  for (const auto& e : r.log())
    logged |= e.message.find("login failure for user vantage-probe") != std::string::npos;
  EXPECT_TRUE(logged);
  EXPECT_EQ(run(r, R"({"expect": "api"})").verdict.status, Status::kPass);
}

TEST_F(ApiProbe, PlainApiDisabledPassesNoApi) {
  auto cfg = lab_config();
  cfg.services["api"].disabled = true;
  lab::Router r(cfg);
  r.start();
  EXPECT_EQ(r.port("api"), 0);
  RunOptions o;
  o.port = testing::free_port();
  auto out = run_check("routeros-api", R"({"expect": "no-api"})", o);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "no-api (tcp-closed)");
  auto api = run_check("routeros-api", R"({"expect": "api"})", o);
  EXPECT_EQ(api.verdict.status, Status::kFail);
  EXPECT_NE(api.verdict.message.find("no RouterOS API on"), std::string::npos)
      << api.verdict.message;
}

// ---- least privilege ----

TEST_F(ApiProbe, ReadOnlyAuditUserPassesWriteDenied) {
  lab::Router r(lab_config());
  r.start();
  auto out = run(r, plain_login_check(R"({"login": "ok", "read": "ok", "write": "denied"})"));
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  auto ev = out.evidence();
  EXPECT_EQ(ev["write"]["outcome"], "denied");
  EXPECT_EQ(ev["write"]["message"], "not enough permissions (9)");
  EXPECT_NE(ev["write"]["attempted"].get<std::string>().find("/system/identity/set =name=lab-rtr"),
            std::string::npos);
  EXPECT_EQ(ev["identity"], "lab-rtr");
  EXPECT_EQ(r.identity(), "lab-rtr");
  // The summary is this check's own evidence, not the detection's dummy login
  // (whose `!trap` said "invalid user name or password"); the pre-login and
  // legacy-login steps are run by every session check, so they are its own.
  EXPECT_EQ(out.obs->summary,
            "api; login ok; read ok (identity lab-rtr); write denied: not enough permissions (9); "
            "a command before login got !fatal; legacy challenge login not offered");
  EXPECT_EQ(out.obs->summary.find("invalid user name"), std::string::npos);
  // Plaintext credentials were allowed: the report carries a warning.
  ASSERT_FALSE(out.obs->warnings.empty());
  EXPECT_NE(out.obs->warnings[0].find("clear text"), std::string::npos);
}

TEST_F(ApiProbe, FullGroupAuditUserFailsWriteDenied) {
  auto cfg = lab_config();
  cfg.users[1].group = "full";
  lab::Router r(cfg);
  r.start();
  auto out = run(r, plain_login_check(R"({"login": "ok", "write": "denied"})"));
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find(
                "user audit can change the router: /system/identity/set =name=lab-rtr"),
            std::string::npos)
      << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("/user set audit group=read"), std::string::npos);
  EXPECT_EQ(out.verdict.observed, "login=ok write=ok");
  EXPECT_EQ(r.identity(), "lab-rtr");  // the write set the same value: nothing changed
  // And "write": "ok" passes for that account.
  EXPECT_EQ(run(r, plain_login_check(R"({"write": "ok", "login": "ok"})")).verdict.status,
            Status::kPass);
}

TEST_F(ApiProbe, ReadDeniedForGroupWithoutReadPolicy) {
  auto cfg = lab_config();
  cfg.groups["apionly"] = {"api"};
  cfg.users[1].group = "apionly";
  lab::Router r(cfg);
  r.start();
  auto out = run(r, plain_login_check(R"({"read": "ok"})"));
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("cannot read"), std::string::npos);
  EXPECT_EQ(run(r, plain_login_check(R"({"read": "denied"})")).verdict.status, Status::kPass);
}

// ---- wrong password ----

TEST_F(ApiProbe, WrongPasswordIsDenied) {
  lab::Router r(lab_config());
  r.start();
  const char* wrong = R"("login": {"user": "audit", "password_env": "VT_WRONG_PW"})";
  auto out = run(r, plain_login_check(R"({"login": "ok"})", wrong));
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find(
                "login as audit was denied by the router: `invalid user name or password (6)`"),
            std::string::npos)
      << out.verdict.message;
  EXPECT_EQ(out.evidence()["login"]["outcome"], "denied");
  auto denied = run(r, plain_login_check(R"({"login": "denied"})", wrong));
  EXPECT_EQ(denied.verdict.status, Status::kPass) << denied.verdict.message;
  auto right = run(r, plain_login_check(R"({"login": "denied"})"));
  EXPECT_EQ(right.verdict.status, Status::kFail);
}

TEST_F(ApiProbe, MissingPasswordEnvIsAnError) {
  lab::Router r(lab_config());
  r.start();
  ::unsetenv("VT_UNSET_PW");
  auto out =
      run(r, plain_login_check(R"({"login": "ok"})",
                               R"("login": {"user": "audit", "password_env": "VT_UNSET_PW"})"));
  EXPECT_EQ(out.verdict.status, Status::kError);
  EXPECT_NE(out.obs->error.find("VT_UNSET_PW"), std::string::npos);
}

TEST_F(ApiProbe, PasswordFileWorks) {
  lab::Router r(lab_config());
  r.start();
  char tmpl[] = "/tmp/vt-pw-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  std::string content = std::string(testing::kAuditPassword) + "\n";
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  auto out =
      run(r, plain_login_check(
                 R"({"login": "ok"})",
                 (std::string(R"("login": {"user": "audit", "password_file": ")") + tmpl + "\"}")
                     .c_str()));
  ::unlink(tmpl);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
}

// ---- evidence: every sentence, password redacted ----

TEST_F(ApiProbe, EvidenceRecordsEverySentenceWithPasswordRedacted) {
  lab::Router r(lab_config());
  r.start();
  auto out =
      run(r, plain_login_check(R"({"login": "ok", "write": "denied", "pre_login": "fatal"})"));
  ASSERT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  const std::string dump = out.evidence().dump();
  EXPECT_EQ(dump.find(testing::kAuditPassword), std::string::npos) << dump;
  EXPECT_NE(dump.find("=password=<redacted>"), std::string::npos);
  const json ev = out.evidence();
  const auto& t = ev["transcript"];
  std::vector<std::string> sent, received;
  for (const auto& e : t) {
    if (e["dir"] == "sent") sent.push_back(e["words"][0]);
    if (e["dir"] == "received") received.push_back(e["words"][0]);
  }
  // detection, bare /login, real login, print, set; then pre-login on a fresh connection
  EXPECT_EQ(sent, (std::vector<std::string>{"/login", "/login", "/login", "/system/identity/print",
                                            "/system/identity/set", "/system/identity/print"}));
  EXPECT_EQ(received.front(), "!trap");
  EXPECT_EQ(received.back(), "!fatal");
  // Every connection the probe made is recorded for capture self-validation.
  EXPECT_EQ(out.connections.size(), 2u);
}

// ---- pre-login ----

TEST_F(ApiProbe, PreLoginFatalPasses) {
  lab::Router r(lab_config());
  r.start();
  auto out = run(r, R"({"expect": {"pre_login": "fatal"}})");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.evidence()["pre_login"]["seen"],
            "!fatal not logged in, then the connection closed");
}

// The router's FIN after !fatal is lost twice on the way (netfilter drops
// the first two FINs of every connection from the service's port): it
// arrives after RTO + 2 RTO. The probe must still see the close, not report
// a connection that stayed open (a fixed 500 ms window did, on every link).
TEST_F(ApiProbe, PreLoginSeesACloseWhoseFinWasLostTwice) {
  lab::Router r(lab_config());
  r.start();
  const std::string table = "vt_lost_fin_" + std::to_string(::getpid());
  const std::string port = std::to_string(r.port("api"));
  const std::string fin = "tcp sport " + port + " tcp flags & fin == fin ";
  ASSERT_EQ(testing::sh_status("nft add table inet " + table + " && nft add chain inet " + table +
                               " out '{ type filter hook output priority 0; }' && nft add rule "
                               "inet " +
                               table + " out '" + fin +
                               "ct mark 0 ct mark set 1 drop' && "
                               "nft add rule inet " +
                               table + " out '" + fin + "ct mark 1 ct mark set 2 counter drop'"),
            0);
  struct Drop {
    std::string t;
    ~Drop() { testing::sh_status("nft delete table inet " + t); }
  } drop{table};
  auto out = run(r, R"({"expect": {"pre_login": "fatal"}})");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.evidence()["pre_login"]["seen"],
            "!fatal not logged in, then the connection closed");
  // The second loss happened (else the test proves nothing).
  const std::string rules = testing::sh("nft list table inet " + table);
  EXPECT_EQ(rules.find("counter packets 0 "), std::string::npos) << rules;
  EXPECT_NE(rules.find("counter packets "), std::string::npos) << rules;
}

TEST_F(ApiProbe, PreLoginServedFails) {
  // A server that answers everything with !done, logged in or not.
  testing::FakeServer srv([](int fd, const std::atomic<bool>& stop) {
    for (int i = 0; i < 20 && !stop; ++i) {
      std::string got = testing::FakeServer::read_some(fd, 200);
      if (got.empty()) continue;
      routeros::Sentence done{"!done"};
      auto b = done.encode();
      if (!testing::FakeServer::send_all(fd, std::string(b.begin(), b.end()))) return;
    }
  });
  RunOptions o;
  o.port = srv.port();
  auto out = run_check("routeros-api", R"({"expect": {"pre_login": "fatal"}})", o);
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("instead of `!fatal not logged in`"), std::string::npos)
      << out.verdict.message;
  EXPECT_TRUE(out.evidence()["dummy_login_accepted"].get<bool>());
}

// ---- legacy login ----

TEST_F(ApiProbe, LegacyFirmwareIsReported) {
  for (const char* version : {"6.40", "6.44"}) {
    auto cfg = lab_config();
    cfg.version = version;
    lab::Router r(cfg);
    r.start();
    auto out = run(r, R"({"expect": {"legacy_login": false}})");
    EXPECT_EQ(out.verdict.status, Status::kFail) << version << ": " << out.verdict.message;
    EXPECT_NE(out.verdict.message.find("legacy firmware"), std::string::npos)
        << out.verdict.message;
    EXPECT_NE(out.verdict.message.find("6.45.1"), std::string::npos);
  }
  lab::Router modern(lab_config());
  modern.start();
  auto ok = run(modern, R"({"expect": {"legacy_login": false}})");
  EXPECT_EQ(ok.verdict.status, Status::kPass) << ok.verdict.message;
}

// ---- service address list: each restriction mode ----

class Restriction : public ApiProbe,
                    public ::testing::WithParamInterface<std::pair<lab::Disallowed, const char*>> {
};

TEST_P(Restriction, DisallowedSourceIsRestrictedAndTheModeIsReported) {
  auto [mode, name] = GetParam();
  auto cfg = lab_config();
  cfg.services["api"].address = {*lab::Prefix::parse("127.0.0.1/32")};
  cfg.services["api"].disallowed = mode;
  lab::Router r(cfg);
  r.start();
  const int timeout = 1500;
  auto out = run(r, R"({"expect": "restricted"})", "api", "127.0.0.2", timeout);
  EXPECT_EQ(out.obs->local_address, "127.0.0.2");
  EXPECT_LT(out.elapsed_ms, vantage::testing::link_timeout_ms(timeout) + 500);
  auto no_api = run(r, R"({"expect": "no-api"})", "api", "127.0.0.2", timeout);
  if (mode == lab::Disallowed::kSilent) {
    // Silence is not a refusal: without an opt-in and a positive control
    // (cli_test: SilenceIsARestrictionOnlyWithOptInAndAControl) it is an error.
    EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
    EXPECT_EQ(no_api.verdict.status, Status::kError) << no_api.verdict.message;
  } else {
    EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
    EXPECT_EQ(out.verdict.observed, std::string("restricted (") + name + ")");
    EXPECT_EQ(out.evidence()["restriction_mode"], name);
    EXPECT_EQ(no_api.verdict.status, Status::kPass) << no_api.verdict.message;
  }
  // From the allowed source the same expectation fails, naming the address list.
  auto allowed = run(r, R"({"expect": "restricted"})", "api", "127.0.0.1", timeout);
  EXPECT_EQ(allowed.verdict.status, Status::kFail);
  EXPECT_NE(allowed.verdict.message.find("address list does not exclude this source"),
            std::string::npos)
      << allowed.verdict.message;
  EXPECT_GE(r.stats().refused_address, 2u);
}

INSTANTIATE_TEST_SUITE_P(Modes, Restriction,
                         ::testing::Values(std::make_pair(lab::Disallowed::kReset, "reset"),
                                           std::make_pair(lab::Disallowed::kClose, "close"),
                                           std::make_pair(lab::Disallowed::kSilent, "silent")),
                         [](const auto& p) { return std::string(p.param.second); });

TEST_F(ApiProbe, ClosedPortIsNotARestriction) {
  RunOptions o;
  o.port = testing::free_port();
  auto out = run_check("routeros-api", R"({"expect": "restricted"})", o);
  EXPECT_EQ(out.verdict.status, Status::kFail);
  EXPECT_NE(out.verdict.message.find("not a service address restriction"), std::string::npos)
      << out.verdict.message;
}

// ---- max-sessions ----

TEST_F(ApiProbe, MaxSessionsEnforced) {
  auto cfg = lab_config();
  cfg.services["api"].max_sessions = 3;
  lab::Router r(cfg);
  r.start();
  auto out = run(r, R"({"max_sessions": 3, "expect": {"max_sessions": "enforced"}})");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  auto s = out.evidence()["sessions"];
  EXPECT_EQ(s["held"], 3);
  EXPECT_NE(s["extra_seen"].get<std::string>().find("closed-after-accept"), std::string::npos)
      << s.dump();
  EXPECT_GE(r.stats().refused_sessions, 1u);
}

TEST_F(ApiProbe, MaxSessionsNotEnforcedFails) {
  lab::Router r(lab_config());
  r.start();
  auto out = run(r, R"({"max_sessions": 3, "expect": {"max_sessions": "enforced"}})");
  EXPECT_EQ(out.verdict.status, Status::kFail) << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("max-sessions 3 is not enforced"), std::string::npos)
      << out.verdict.message;
  EXPECT_NE(out.verdict.message.find("/ip service set api max-sessions=3"), std::string::npos);
}

TEST_F(ApiProbe, MaxSessionsWithRealLoginOverTls) {
  auto cfg = lab_config();
  cfg.services.erase("api");
  auto ssl = lab::Service{};
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  ssl.max_sessions = 2;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  auto out = run(r,
                 std::string(R"({"tls": true, "max_sessions": 2, )") + kAuditLogin +
                     R"(, "expect": {"login": "ok", "max_sessions": "enforced"}})",
                 "api-ssl");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
}

// ---- TLS ----

TEST_F(ApiProbe, ApiSslLoginVerifiedAgainstCaFile) {
  auto cfg = lab_config();
  auto ssl = lab::Service{};
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  char tmpl[] = "/tmp/vt-ca-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  const std::string ca = r.ca_pem();
  ASSERT_EQ(::write(fd, ca.data(), ca.size()), static_cast<ssize_t>(ca.size()));
  ::close(fd);
  auto out = run(r,
                 std::string(R"({"tls": true, "ca_file": ")") + tmpl + R"(", )" + kAuditLogin +
                     R"(, "expect": {"login": "ok", "write": "denied", "read": "ok"}})",
                 "api-ssl");
  ::unlink(tmpl);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  auto ev = out.evidence();
  EXPECT_TRUE(ev["tls_verified"].get<bool>()) << ev.dump();
  EXPECT_FALSE(ev["tls_version"].get<std::string>().empty());
  EXPECT_TRUE(out.obs->warnings.empty());
  EXPECT_NE(out.verdict.message.find("API-SSL on"), std::string::npos);
}

TEST_F(ApiProbe, ApiSslCertificateNoneFallsBackToAnonymousDh) {
  auto cfg = lab_config();
  auto ssl = lab::Service{};
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kNone;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  // Detection (a dummy login, no real credential) works over anonymous DH.
  auto out = run(r, R"({"tls": true, "expect": "api"})", "api-ssl");
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_TRUE(out.evidence()["tls_anonymous"].get<bool>());
  EXPECT_FALSE(out.evidence()["tls_verified"].get<bool>());
  // With an explicit ADH cipher string it works directly too.
  auto adh = run(r, R"({"tls": true, "ciphers": "ADH:@SECLEVEL=0", "expect": "api"})", "api-ssl");
  EXPECT_EQ(adh.verdict.status, Status::kPass) << adh.verdict.message;
  // A real password is never handed to an unauthenticated peer
  // (fail_closed_test: AnonymousApiSslGetsNoCredential).
  auto login =
      run(r, std::string(R"({"tls": true, )") + kAuditLogin + R"(, "expect": {"login": "ok"}})",
          "api-ssl");
  EXPECT_EQ(login.verdict.status, Status::kError) << login.verdict.message;
}

TEST_F(ApiProbe, RestrictedApiSslIsReportedBeforeTls) {
  auto cfg = lab_config();
  auto ssl = lab::Service{};
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  ssl.address = {*lab::Prefix::parse("127.0.0.1/32")};
  ssl.disallowed = lab::Disallowed::kReset;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  auto out = run(r, R"({"tls": true, "expect": "restricted"})", "api-ssl", "127.0.0.2", 1500);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  EXPECT_EQ(out.verdict.observed, "restricted (reset)");
}

// ---- not-api ----

TEST_F(ApiProbe, HttpServerIsNotApi) {
  testing::FakeServer srv([](int fd, const std::atomic<bool>&) {
    testing::FakeServer::read_some(fd, 1000);
    testing::FakeServer::send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  RunOptions o;
  o.port = srv.port();
  auto out = run_check("routeros-api", R"({"expect": "not-api"})", o);
  EXPECT_EQ(out.verdict.status, Status::kPass) << out.verdict.message;
  auto no = run_check("routeros-api", R"({"expect": "no-api"})", o);
  EXPECT_EQ(no.verdict.status, Status::kFail);
  EXPECT_NE(no.verdict.message.find("HTTP/1.1 400"), std::string::npos) << no.verdict.message;
}

}  // namespace
}  // namespace vantage::probes

namespace vantage::probes {
namespace {

// A wrong "tls" setting must not look like a working or a restricted service.
TEST_F(ApiProbe, TlsMismatchIsNeverRestrictedOrApi) {
  auto cfg = lab_config();
  auto ssl = lab::Service{};
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  auto tls_on_plain = run(r, R"({"tls": true, "expect": "restricted"})", "api", "127.0.0.1", 1500);
  EXPECT_NE(tls_on_plain.verdict.status, Status::kPass) << tls_on_plain.verdict.message;
  EXPECT_EQ(tls_on_plain.verdict.status, Status::kError);
  EXPECT_NE(tls_on_plain.verdict.message.find("\"tls\": false"), std::string::npos)
      << tls_on_plain.verdict.message;
  auto plain_on_tls = run(r, R"({"expect": "restricted"})", "api-ssl", "127.0.0.1", 1500);
  EXPECT_NE(plain_on_tls.verdict.status, Status::kPass) << plain_on_tls.verdict.message;
  EXPECT_EQ(plain_on_tls.verdict.observed, "not-api");
  EXPECT_NE(plain_on_tls.verdict.message.find("set \"tls\": true"), std::string::npos)
      << plain_on_tls.verdict.message;
}

// What a plain API port does with a ClientHello depends on the hello's random
// bytes (a !fatal, a close, a reset, or a wait for more); the verdict must not.
// The claim "plain API" needs an answer to a plain /login, never the close.
TEST_F(ApiProbe, TlsOnPlainApiIsTheSameWhateverTheHelloMeets) {
  using routeros::Sentence;
  const std::vector<std::pair<std::string, std::function<void(int)>>> reactions = {
      {"close", [](int) {}},
      {"reset",
       [](int fd) {
         linger l{1, 0};
         ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
       }},
      {"not-tls",
       [](int fd) {
         auto b = Sentence{"!fatal", "not logged in"}.encode();
         testing::FakeServer::send_all(fd, std::string(b.begin(), b.end()));
       }},
  };
  for (bool answers_api : {true, false}) {
    for (const auto& [name, react] : reactions) {
      SCOPED_TRACE(name + (answers_api ? ", plain API answers" : ", nothing answers"));
      auto api =
          testing::api_peer(testing::logged_in_router([] { return std::vector<Sentence>{}; }));
      testing::FakeServer srv(
          [&, react = react](int fd, const std::atomic<bool>& stop) {
            std::uint8_t first = 0;
            for (pollfd p{fd, POLLIN, 0}; !stop;) {
              if (::poll(&p, 1, 50) <= 0) continue;
              if (::recv(fd, &first, 1, MSG_PEEK) != 1) return;  // a quiet connection ended
              break;
            }
            if (first != 0x16) {
              if (answers_api) api(fd, stop);
              return;
            }
            testing::FakeServer::read_some(fd, 100);  // the ClientHello
            react(fd);
          },
          true);
      RunOptions o;
      o.port = srv.port();
      o.timeout = std::chrono::milliseconds(1500);
      auto out = run_check("routeros-api", R"({"tls": true, "expect": "restricted"})", o);
      EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
      const bool claims_plain = out.verdict.message.find(
                                    "the port answers the plain RouterOS API, not TLS: set "
                                    "\"tls\": false") != std::string::npos;
      EXPECT_EQ(claims_plain, answers_api) << out.verdict.message;
    }
  }
}

}  // namespace
}  // namespace vantage::probes
