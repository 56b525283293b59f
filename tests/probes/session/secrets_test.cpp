// A router or endpoint that hands the password back (raw, base64 in an
// echoed Basic header, URL-encoded) in messages, identity, headers and body:
// the secret appears in no field of the observation, no verdict and no report
// `vantage run` writes. (Each check masks the secrets it holds: every check
// here has the login, so the router's echo is of a secret that check sent.)
#include <gtest/gtest.h>

#include <filesystem>

#include "core/redact.hpp"
#include "probes/rest/rest_probe.hpp"
#include "tests/probes/peers/api_peer.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/topology.hpp"

namespace vantage::probes {
namespace {

using routeros::Sentence;
using testing::FakeServer;

// Spaces, '/', '@' and '+' make every encoding differ from the raw form;
// nothing HTML or XML would escape, so a leak shows verbatim in every report.
const std::string kUser = "audit";
const std::string kPw = "S3cr et/p@ss+Zq9";

std::string b64(const std::string& s) {
  return base64_encode(s);
}

std::string pct(const std::string& s, bool plus) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ' && plus) {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::vector<std::string> leak_forms() {
  return {kPw, b64(kUser + ":" + kPw), b64(kPw), pct(kPw, false), pct(kPw, true)};
}

std::string echo_all() {
  return "pw " + kPw + " basic " + b64(kUser + ":" + kPw) + " b64 " + b64(kPw) + " url " +
         pct(kPw, false) + " form " + pct(kPw, true);
}

void expect_no_secret(const std::string& where, const std::string& text) {
  for (const auto& f : leak_forms())
    EXPECT_EQ(text.find(f), std::string::npos)
        << "secret form `" << f << "` leaked into " << where << ": " << text.substr(0, 4000);
}

// An API router that echoes the secret in every answer, the identity included.
FakeServer::Handler echoing_router() {
  return testing::api_peer([](int, const Sentence& s) -> std::vector<Sentence> {
    const std::string& c = s.command();
    if (c == "/login" && s.attr("name") == "vantage-probe")
      return {Sentence{"!trap", "=message=invalid user " + echo_all()}, Sentence{"!done"}};
    if (c == "/login") return {Sentence{"!done"}};
    if (c == "/system/identity/print")
      return {Sentence{"!re", "=name=" + kPw + " " + echo_all()}, Sentence{"!done"}};
    if (c == "/system/identity/set")
      return {Sentence{"!trap", "=message=not enough permissions (9) " + echo_all()},
              Sentence{"!done"}};
    return {Sentence{"!fatal", "not logged in " + echo_all()}};
  });
}

// A REST endpoint that echoes the Authorization header and the password in
// its reason phrase, headers and body; the password straddles the excerpt cut.
FakeServer::Handler echoing_rest() {
  return [](int fd, const std::atomic<bool>&) {
    std::string req;
    for (int i = 0; i < 50 && req.find("\r\n\r\n") == std::string::npos; ++i)
      req += FakeServer::read_some(fd, 100);
    std::string auth;
    if (auto p = req.find("Authorization: "); p != std::string::npos)
      auth = req.substr(p + 15, req.find("\r\n", p) - p - 15);
    const bool denied = req.find("GET /rest/denied") == 0;
    std::string body;
    if (denied) {
      body = R"({"error":401,"message":"Unauthorized )" + echo_all() + R"(","detail":")" + auth +
             R"("})";
    } else {
      const std::string head = R"({"pad":")";
      body = head + std::string(1024 - head.size() - 6, 'x') + R"(","e":")" + kPw +
             R"(","auth":")" + auth + R"(","all":")" + echo_all() + R"("})";
    }
    const std::string status = denied ? "401 Unauthorized " : "200 OK ";
    FakeServer::send_all(fd, "HTTP/1.1 " + status + kPw + "\r\nContent-Type: application/json\r\n" +
                                 "X-Echo-Auth: " + auth + "\r\nX-Echo: " + echo_all() +
                                 "\r\nContent-Length: " + std::to_string(body.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body);
  };
}

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("VT_ECHO_PW", kPw.c_str(), 1); }
};

const std::string kLogin = R"("login": {"user": "audit", "password_env": "VT_ECHO_PW"})";

TEST_F(Secrets, EchoingApiRouterLeaksNothingIntoTheObservation) {
  FakeServer srv(echoing_router());
  testing::RunOptions o;
  o.port = srv.port();
  for (const char* expect :
       {R"({"login": "ok", "read": "ok", "write": "denied", "pre_login": "fatal"})", R"("api")",
        R"("no-api")"}) {
    const std::string check = std::string(R"({"allow_plaintext_credentials": true, )") + kLogin +
                              R"(, "expect": )" + expect + "}";
    auto out = testing::run_check("routeros-api", check, o);
    expect_no_secret("evidence", out.evidence().dump());
    expect_no_secret("summary", out.obs->summary);
    expect_no_secret("error", out.obs->error);
    expect_no_secret("message", out.verdict.message);
    expect_no_secret("observed", out.verdict.observed);
    for (const auto& w : out.obs->warnings) expect_no_secret("warning", w);
  }
}

TEST_F(Secrets, EchoingRestEndpointLeaksNothingIntoTheObservation) {
  FakeServer srv(echoing_rest());
  testing::RunOptions o;
  o.port = srv.port();
  for (const char* path : {"/rest/system/resource", "/rest/denied"}) {
    const std::string check = std::string(R"({"allow_plaintext_credentials": true, "path": ")") +
                              path + "\", " + kLogin + R"(, "expect": {"login": "ok"}})";
    auto out = testing::run_check("rest", check, o);
    expect_no_secret("evidence", out.evidence().dump());
    expect_no_secret("summary", out.obs->summary);
    expect_no_secret("error", out.obs->error);
    expect_no_secret("message", out.verdict.message);
    for (const auto& w : out.obs->warnings) expect_no_secret("warning", w);
  }
}

TEST_F(Secrets, ReportsOfARunAgainstEchoingPeersHoldNoSecret) {
  FakeServer api(echoing_router());
  FakeServer rest(echoing_rest());
  vantage::testing::TempDir d;
  const std::string a = std::to_string(api.port()), r = std::to_string(rest.port());
  d.write("s.json",
          R"({"vantage": 1, "name": "echo",
    "target": {"host": "127.0.0.1"},
    "sources": {"mgmt": {"address": "127.0.0.1"}},
    "defaults": {"timeout_ms": 3000, "attempts": 1},
    "checks": [
      {"id": "api-priv", "probe": "routeros-api", "port": )" +
              a + R"(, "from": "mgmt", "allow_plaintext_credentials": true, )" + kLogin +
              R"(,
       "expect": {"login": "ok", "read": "ok", "write": "denied", "pre_login": "fatal"}},
      {"id": "api-word", "probe": "routeros-api", "port": )" +
              a + R"(, "from": "mgmt", "allow_plaintext_credentials": true, )" + kLogin +
              R"(, "expect": "no-api"},
      {"id": "rest-ok", "probe": "rest", "port": )" +
              r + R"(, "from": "mgmt", "allow_plaintext_credentials": true, )" + kLogin +
              R"(, "expect": {"login": "denied"}},
      {"id": "rest-denied", "probe": "rest", "port": )" +
              r +
              R"(, "path": "/rest/denied", "from": "mgmt", "allow_plaintext_credentials": true, )" +
              kLogin + R"(, "expect": {"login": "ok"}}
    ]})");
  std::string out, err;
  const int rc = vantage::testing::run_vantage(
      {"run", d.file("s.json"), "--report-dir", d.file("out"), "--no-color"}, &out, &err);
  EXPECT_NE(rc, 0) << out << err;
  expect_no_secret("stdout", out);
  expect_no_secret("stderr", err);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(d.file("out"))) {
    ++files;
    expect_no_secret(e.path().filename().string(), d.read("out/" + e.path().filename().string()));
  }
  EXPECT_GE(files, 3);  // report.json, report.xml, report.html
}

}  // namespace
}  // namespace vantage::probes
