// The probes through the real binary: validation exit codes, and a run
// against the in-process lab whose JSON and JUnit reports carry the evidence
// (every sentence, password redacted) and the plaintext warning.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness.hpp"
#include "lab/router.hpp"
#include "tests/support/topology.hpp"

namespace vantage::probes {
namespace {

using vantage::testing::run_vantage;
using vantage::testing::TempDir;

std::string scenario(std::uint16_t port, const std::string& checks) {
  return R"({"vantage": 1, "name": "api hardening",
             "target": {"host": "127.0.0.1"},
             "sources": {"mgmt": {"address": "127.0.0.1"}, "outside": {"address": "127.0.0.2"}},
             "defaults": {"timeout_ms": 2000, "attempts": 1},
             "checks": [)" +
         checks + "]}";
  (void)port;
}

TEST(ProbesCli, PlaintextCredentialsAreABadScenario) {
  TempDir d;
  d.write(
      "s.json",
      scenario(8728, R"({"id": "api-login", "probe": "routeros-api", "port": 8728, "from": "mgmt",
        "login": {"user": "audit", "password_env": "VT_PW"}, "expect": {"login": "ok"}})"));
  std::string out, err;
  EXPECT_EQ(run_vantage({"validate", d.file("s.json")}, &out, &err), 65) << out << err;
  EXPECT_NE((out + err).find("allow_plaintext_credentials"), std::string::npos) << out << err;
  d.write(
      "p.json",
      scenario(
          8728,
          R"({"id": "api-login", "probe": "routeros-api", "port": 8729, "tls": true, "from": "mgmt",
        "login": {"user": "audit", "password": "hunter2"}, "expect": {"login": "ok"}})"));
  EXPECT_EQ(run_vantage({"validate", d.file("p.json")}, &out, &err), 65);
  EXPECT_NE((out + err).find("password_env"), std::string::npos) << out << err;
  EXPECT_EQ((out + err).find("hunter2"), std::string::npos);
}

TEST(ProbesCli, RunReportsEvidenceRedactedInJsonAndJunit) {
  auto cfg = testing::lab_config();
  cfg.services["api"].address = {*lab::Prefix::parse("127.0.0.1/32")};
  cfg.services["api"].disallowed = lab::Disallowed::kClose;
  lab::Router r(cfg);
  r.start();
  const std::string port = std::to_string(r.port("api"));
  TempDir d;
  d.write("s.json", scenario(r.port("api"),
                             R"({"id": "api-plain-silent", "probe": "routeros-api", "port": )" +
                                 port + R"(, "from": "mgmt", "expect": "no-api"},
         {"id": "api-outside", "probe": "routeros-api", "port": )" +
                                 port + R"(, "from": "outside", "expect": "restricted"},
         {"id": "api-least-priv", "probe": "routeros-api", "port": )" +
                                 port + R"(, "from": "mgmt",
          "allow_plaintext_credentials": true, "login": {"user": "audit", "password_env": "VT_CLI_PW"},
          "expect": {"login": "ok", "write": "denied", "pre_login": "fatal"}})"));
  ::setenv("VT_CLI_PW", testing::kAuditPassword, 1);
  std::string out, err;
  int rc = run_vantage({"run", d.file("s.json"), "--json", d.file("r.json"), "--junit",
                        d.file("r.xml"), "--no-color"},
                       &out, &err);
  EXPECT_EQ(rc, 1) << out << err;  // api-plain-silent fails: the api service answers
  const std::string js = d.read("r.json"), xml = d.read("r.xml");
  for (const std::string* s : std::vector<const std::string*>{&js, &xml, &out, &err})
    EXPECT_EQ(s->find(testing::kAuditPassword), std::string::npos) << "password leaked";
  EXPECT_NE(xml.find("=password=&lt;redacted&gt;"), std::string::npos) << xml.substr(0, 3000);
  EXPECT_NE(xml.find("/system/identity/set"), std::string::npos);
  EXPECT_NE(xml.find("clear text"), std::string::npos);  // the plaintext warning
  EXPECT_NE(out.find("/ip service set api disabled=yes"), std::string::npos) << out;
  auto j = json::parse(js);
  std::map<std::string, std::string> status;
  std::function<void(const json&)> walk = [&](const json& v) {
    if (v.is_object()) {
      if (v.contains("id") && v.contains("verdict") && v["id"].is_string())
        status[v["id"]] = v["verdict"]["status"];
      for (const auto& [k, x] : v.items()) walk(x);
    } else if (v.is_array()) {
      for (const auto& x : v) walk(x);
    }
  };
  walk(j);
  EXPECT_EQ(status["api-plain-silent"], "fail") << js.substr(0, 2000);
  EXPECT_EQ(status["api-outside"], "pass");
  EXPECT_EQ(status["api-least-priv"], "pass");
  EXPECT_TRUE(js.find("\"restriction_mode\":\"close\"") != std::string::npos ||
              js.find("\"restriction_mode\": \"close\"") != std::string::npos);
}

}  // namespace
}  // namespace vantage::probes
