// The capture check inside a real `vantage run`: self-validated against the
// run's own connections. A capture on the wrong namespace or interface, or
// without privileges, is an error (never a pass); plaintext API is a fail.
// Needs root (capture, netns) and setpriv.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "live_traffic.hpp"

namespace vantage::capture::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kVantage = VANTAGE_BINARY;

struct RunOut {
  int exit = -1;
  std::string console;
  json report;
  std::map<std::string, json> checks;  // id -> check result
};

class CaptureRun : public ::testing::Test {
 protected:
  TempDir dir{"capture-run"};
  ApiResponder api;

  // A scenario: a TCP check to the responder, optionally a plaintext API
  // probe, and the capture check.
  std::string scenario(const json& capture, bool api_probe = false) {
    json checks = json::array();
    checks.push_back({{"id", "open"},
                      {"probe", "tcp"},
                      {"port", api.port()},
                      {"from", "local"},
                      {"expect", "open"}});
    if (api_probe) {
      checks.push_back({{"id", "plain-api"},
                        {"probe", "routeros-api"},
                        {"port", api.port()},
                        {"tls", false},
                        {"from", "local"},
                        {"expect", "no-api"}});
    }
    checks.push_back({{"id", "no-plaintext-api"},
                      {"probe", "capture"},
                      {"expect", "no-plaintext-api"},
                      {"api_ports", api.port()}});
    json sc = {{"vantage", 1},
               {"name", "capture self-validation"},
               {"target", {{"host", "127.0.0.1"}}},
               {"sources", {{"local", {{"address", "127.0.0.1"}}}}},
               {"capture", capture},
               {"checks", checks}};
    const fs::path p = dir / "scenario.json";
    std::ofstream(p) << sc.dump(2);
    return p.string();
  }

  RunOut run(const std::string& scenario_path, const std::string& prefix = "") {
    RunOut o;
    const fs::path out = dir / "report";
    fs::remove_all(out);
    auto r = sh(prefix + kVantage + " run " + scenario_path + " --no-color --report-dir " +
                out.string());
    o.exit = r.exit;
    o.console = r.out;
    if (fs::exists(out / "report.json")) {
      o.report = json::parse(slurp(out / "report.json"));
      for (const auto& c : o.report["scenarios"][0]["targets"][0]["checks"])
        o.checks[c["id"].get<std::string>()] = c;
    }
    return o;
  }

  static std::string status(const RunOut& o, const std::string& id) {
    auto it = o.checks.find(id);
    return it == o.checks.end() ? "missing" : it->second["verdict"]["status"].get<std::string>();
  }
};

TEST_F(CaptureRun, RightInterfacePassesWithSelfValidation) {
  auto o = run(scenario({{"interface", "lo"}, {"drain_ms", 200}}));
  EXPECT_EQ(o.exit, 0) << o.console;
  EXPECT_EQ(status(o, "open"), "pass");
  ASSERT_EQ(status(o, "no-plaintext-api"), "pass") << o.console;
  const auto& ev = o.checks["no-plaintext-api"]["observation"]["evidence"];
  EXPECT_GE(ev["self_validation"]["syns_seen"].get<int>(), 1);
  EXPECT_EQ(ev["self_validation"]["syns_seen"], ev["self_validation"]["vantage_connections"]);
  EXPECT_EQ(ev["dropped"].get<int>(), 0);
  EXPECT_TRUE(fs::exists(dir / "report" / "capture.pcap"));
  // The pcap is linked from the JUnit report.
  EXPECT_NE(slurp(dir / "report" / "report.xml").find("[[ATTACHMENT|"), std::string::npos);
}

// Without --report-dir the pcap goes to a private directory the console names,
// never into the working directory: runs must not litter.
TEST_F(CaptureRun, WithoutReportDirNothingIsWrittenIntoTheWorkingDirectory) {
  const std::string sc = scenario({{"interface", "lo"}, {"drain_ms", 200}});
  const fs::path cwd = dir / "cwd";
  fs::create_directories(cwd);
  auto r = sh("cd " + cwd.string() + " && " + kVantage + " run " + sc + " --no-color");
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_TRUE(fs::is_empty(cwd)) << r.out;
  const auto at = r.out.find("pcap: ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const fs::path pcap = r.out.substr(at + 6, r.out.find('\n', at) - at - 6);
  EXPECT_TRUE(pcap.is_absolute()) << pcap;
  EXPECT_EQ(pcap.filename(), "capture.pcap");
  EXPECT_TRUE(fs::exists(pcap)) << pcap;
  EXPECT_NE(pcap.parent_path(), cwd);
  if (pcap.parent_path().filename().string().rfind("vantage-run-", 0) == 0)
    fs::remove_all(pcap.parent_path());
}

TEST_F(CaptureRun, PlaintextApiInTheRunFails) {
  auto o = run(scenario({{"interface", "lo"}, {"drain_ms", 200}}, true));
  EXPECT_EQ(o.exit, 1) << o.console;
  EXPECT_EQ(status(o, "no-plaintext-api"), "fail") << o.console;
  const std::string msg = o.checks["no-plaintext-api"]["verdict"]["message"];
  EXPECT_NE(msg.find("plaintext"), std::string::npos) << msg;
  EXPECT_NE(msg.find("pcap packets"), std::string::npos) << msg;
}

TEST_F(CaptureRun, WrongNamespaceIsAnErrorNeverAPass) {
  const std::string ns = "vcap-" + std::to_string(::getpid());
  ASSERT_EQ(sh("ip netns add " + ns).exit, 0);
  struct Cleanup {
    std::string ns;
    ~Cleanup() { sh("ip netns del " + ns); }
  } cleanup{ns};
  sh("ip -n " + ns + " link set lo up");
  auto o = run(scenario({{"interface", "any"}, {"netns", ns}, {"drain_ms", 200}}));
  EXPECT_EQ(status(o, "open"), "pass");
  EXPECT_EQ(status(o, "no-plaintext-api"), "error") << o.console;
  EXPECT_EQ(o.exit, 2) << o.console;
  const std::string msg = o.checks["no-plaintext-api"]["verdict"]["message"];
  EXPECT_NE(msg.find("saw none"), std::string::npos) << msg;
}

TEST_F(CaptureRun, MissingInterfaceIsAnError) {
  auto o = run(scenario({{"interface", "nosuchif0"}, {"drain_ms", 100}}));
  EXPECT_EQ(status(o, "open"), "pass");
  EXPECT_EQ(status(o, "no-plaintext-api"), "error") << o.console;
  EXPECT_EQ(o.exit, 2) << o.console;
}

TEST_F(CaptureRun, MissingPrivilegeExits77NamingCapNetRawAndStillRunsTheOtherChecks) {
  auto o = run(scenario({{"interface", "lo"}, {"drain_ms", 100}}),
               "setpriv --inh-caps=-net_raw,-net_admin --bounding-set=-net_raw,-net_admin -- ");
  EXPECT_EQ(o.exit, 77) << o.console;
  EXPECT_NE(o.console.find("CAP_NET_RAW"), std::string::npos) << o.console;
  EXPECT_NE(o.console.find("setcap cap_net_raw,cap_net_admin+eip"), std::string::npos) << o.console;
  EXPECT_EQ(status(o, "open"), "pass") << o.console;
  EXPECT_EQ(status(o, "no-plaintext-api"), "error") << o.console;
}

TEST_F(CaptureRun, FilterThatExcludesVantageTrafficIsAnError) {
  auto o = run(scenario({{"interface", "lo"}, {"filter", "port 9"}, {"drain_ms", 100}}));
  EXPECT_EQ(status(o, "no-plaintext-api"), "error") << o.console;
  EXPECT_EQ(o.exit, 2);
}

}  // namespace
}  // namespace vantage::capture::testing
