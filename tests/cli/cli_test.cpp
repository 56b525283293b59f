// The probes through the real binary: validation exit codes, and a run
// against the in-process lab whose JSON and JUnit reports carry the evidence
// (every sentence, password redacted) and the plaintext warning.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "lab/router.hpp"
#include "tests/probes/peers/lab_config.hpp"
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

// Hostile input files: a megabyte of '[' (nesting that would exhaust the
// stack), and a password_file that is a FIFO with no writer (which would
// block the run past every deadline). Each is a clear error, at once.
TEST(ProbesCli, HostileScenarioAndPasswordFilesAreRefusedAtOnce) {
  TempDir d;
  d.write("deep.json", std::string(1 << 20, '['));
  std::string out, err;
  EXPECT_EQ(run_vantage({"validate", d.file("deep.json")}, &out, &err), 65) << out << err;
  EXPECT_NE(err.find("deep.json:1:65: JSON nested deeper than 64 levels"), std::string::npos)
      << err;
  ASSERT_EQ(::mkfifo(d.file("pw").c_str(), 0600), 0);
  d.write("s.json",
          scenario(8729, R"({"id": "api-login", "probe": "routeros-api", "port": 8729, "tls": true,
        "from": "mgmt", "timeout_ms": 2000,
        "login": {"user": "audit", "password_file": ")" +
                             d.file("pw") + R"("},
        "expect": {"login": "ok"}})"));
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = run_vantage({"run", d.file("s.json"), "--no-color"}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;  // error, never pass or fail
  EXPECT_NE((out + err).find("not a regular file"), std::string::npos) << out << err;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
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

// ---- silence as a restriction: opt-in plus a positive control ----

std::map<std::string, json> verdicts(const std::string& report_json) {
  std::map<std::string, json> v;
  std::function<void(const json&)> walk = [&](const json& x) {
    if (x.is_object()) {
      if (x.contains("id") && x.contains("verdict") && x["id"].is_string()) v[x["id"]] = x;
      for (const auto& [k, y] : x.items()) walk(y);
    } else if (x.is_array()) {
      for (const auto& y : x) walk(y);
    }
  };
  walk(json::parse(report_json));
  return v;
}

const char* kSilentOptIn =
    R"("expect": {"restricted": {"modes": ["reset", "close", "silent"], "control": "mgmt"}})";

TEST(ProbesCli, SilenceIsARestrictionOnlyWithOptInAndAControl) {
  auto cfg = testing::lab_config();
  cfg.services["api"].address = {*lab::Prefix::parse("127.0.0.1/32")};
  cfg.services["api"].disallowed = lab::Disallowed::kSilent;
  lab::Router r(cfg);
  r.start();
  const std::string port = std::to_string(r.port("api"));
  TempDir d;
  d.write("s.json",
          R"({"vantage": 1, "name": "silent",
             "target": {"host": "127.0.0.1"},
             "sources": {"mgmt": {"address": "127.0.0.1"}, "outside": {"address": "127.0.0.2"},
                         "other": {"address": "127.0.0.3"}},
             "defaults": {"timeout_ms": 2000, "attempts": 1},
             "checks": [
               {"id": "opted-in", "probe": "routeros-api", "port": )" +
              port + R"(, "from": "outside", )" + kSilentOptIn + R"(},
               {"id": "control-refused-too", "probe": "routeros-api", "port": )" +
              port + R"(, "from": "outside",
                "expect": {"restricted": {"modes": ["silent"], "control": "other"}}},
               {"id": "word-only", "probe": "routeros-api", "port": )" +
              port + R"(, "from": "outside", "expect": "restricted"}
             ]})");
  std::string out, err;
  const int rc =
      run_vantage({"run", d.file("s.json"), "--json", d.file("r.json"), "--no-color"}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;
  auto v = verdicts(d.read("r.json"));
  EXPECT_EQ(v["opted-in"]["verdict"]["status"], "pass") << v["opted-in"].dump();
  EXPECT_NE(v["opted-in"]["verdict"]["message"].get<std::string>().find("not logged in"),
            std::string::npos)
      << v["opted-in"].dump();
  EXPECT_EQ(v["control-refused-too"]["verdict"]["status"], "error")
      << v["control-refused-too"].dump();
  EXPECT_NE(v["control-refused-too"]["verdict"]["message"].get<std::string>().find("control"),
            std::string::npos);
  EXPECT_EQ(v["word-only"]["verdict"]["status"], "error") << v["word-only"].dump();
}

TEST(ProbesCli, SlowApiSslWithAControlIsNotRestricted) {
  auto cfg = testing::lab_config();
  lab::Service ssl;
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  ssl.accept_delay = std::chrono::milliseconds(1500);
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  TempDir d;
  d.write("s.json",
          R"({"vantage": 1, "name": "slow",
             "target": {"host": "127.0.0.1"},
             "sources": {"mgmt": {"address": "127.0.0.1"}, "outside": {"address": "127.0.0.2"}},
             "defaults": {"timeout_ms": 2000, "attempts": 1},
             "checks": [{"id": "slow", "probe": "routeros-api", "tls": true, "port": )" +
              std::to_string(r.port("api-ssl")) + R"(, "from": "outside", )" + kSilentOptIn +
              "}]}");
  std::string out, err;
  const int rc =
      run_vantage({"run", d.file("s.json"), "--json", d.file("r.json"), "--no-color"}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;
  auto v = verdicts(d.read("r.json"));
  EXPECT_EQ(v["slow"]["verdict"]["status"], "error") << v["slow"].dump();
}

TEST(ProbesCli, RestrictedSyntaxErrorsSayWhatToWrite) {
  TempDir d;
  auto check = [&](const std::string& expect, const std::string& want) {
    d.write("s.json", scenario(8728, R"({"id": "x", "probe": "routeros-api", "port": 8728,
              "from": "outside", "expect": )" +
                                         expect + "}"));
    std::string out, err;
    EXPECT_EQ(run_vantage({"validate", d.file("s.json")}, &out, &err), 65) << expect << out << err;
    EXPECT_NE((out + err).find(want), std::string::npos) << expect << ": " << out << err;
    EXPECT_NE((out + err).find("checks[0].expect.restricted"), std::string::npos) << out << err;
  };
  check(R"({"restricted": {"modes": ["silent"]}})", "\"control\"");
  check(R"({"restricted": {"modes": ["silent"], "control": "nowhere"}})", "unknown source");
  check(R"({"restricted": {"modes": ["silent"], "control": "outside"}})", "another source");
  check(R"({"restricted": {"modes": ["silence"]}})", "did you mean \"silent\"");
  check(R"({"restricted": {"modes": ["reset"], "control": "mgmt"}})", "\"silent\"");
  check(R"({"restricted": {}, "login": "ok"})", "alone");
  d.write("ok.json", scenario(8728, R"({"id": "x", "probe": "routeros-api", "port": 8728,
              "from": "outside", "expect": {"restricted": {"modes": ["close"]}}})"));
  std::string out, err;
  EXPECT_EQ(run_vantage({"validate", d.file("ok.json")}, &out, &err), 0) << out << err;
}

TEST(ProbesCli, ScenariosThatDisagreeOnTheCaptureAreRejectedByValidate) {
  TempDir d;
  const std::string tcp = R"({"id": "t", "probe": "tcp", "port": 8728, "from": "mgmt",
                              "expect": "closed"})";
  auto with_capture = [&](const std::string& iface) {
    std::string s = scenario(8728, tcp);
    s.insert(s.rfind('}'), R"(, "capture": {"interface": ")" + iface + R"("})");
    return s;
  };
  d.write("a.json", with_capture("lo"));
  d.write("b.json", with_capture("eth9"));
  d.write("c.json", with_capture("lo"));
  std::string out, err;
  EXPECT_EQ(run_vantage({"validate", d.file("a.json"), d.file("c.json")}, &out, &err), 0)
      << out << err;
  EXPECT_EQ(run_vantage({"validate", d.file("a.json"), d.file("b.json")}, &out, &err), 65)
      << out << err;
  EXPECT_NE((out + err).find("a.json"), std::string::npos) << out << err;
  EXPECT_NE((out + err).find("interface"), std::string::npos) << out << err;
}

TEST(ProbesCli, ScenariosRunTogetherShareTheirVars) {
  // A --var is for the whole run: a variable of one scenario is no error in
  // another that does not declare it; one that no scenario declares is.
  TempDir d;
  const std::string tcp = R"({"id": "t", "probe": "tcp", "port": "${port}", "from": "mgmt",
                              "expect": "closed"})";
  auto with_var = [&](const std::string& name) {
    std::string s = scenario(8728, tcp);
    s.insert(s.find('{') + 1,
             R"("vars": {"port": {"default": "8728"}, ")" + name + R"(": {"default": ""}}, )");
    return s;
  };
  d.write("a.json", with_var("mgmt_range"));
  d.write("b.json", with_var("capture_netns"));
  std::string out, err;
  EXPECT_EQ(run_vantage({"validate", d.file("a.json"), d.file("b.json"), "--var",
                         "mgmt_range=192.0.2.0/24", "--var", "capture_netns=rtr"},
                        &out, &err),
            0)
      << out << err;
  EXPECT_EQ(run_vantage({"validate", d.file("a.json"), "--var", "capture_netns=rtr"}, &out, &err),
            65)
      << out << err;
  EXPECT_NE(err.find("--var capture_netns is not a variable of this scenario"), std::string::npos)
      << err;
  EXPECT_EQ(run_vantage({"validate", d.file("a.json"), d.file("b.json"), "--var", "mgmt_rnage=x"},
                        &out, &err),
            65)
      << out << err;
  EXPECT_NE(err.find("a.json"), std::string::npos) << err;
  EXPECT_NE(err.find("b.json"), std::string::npos) << err;
  EXPECT_NE(err.find("--var mgmt_rnage is not a variable of any scenario of this run; did you "
                     "mean \"mgmt_range\"?"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace vantage::probes
