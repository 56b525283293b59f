// The typed "capture" object and the one capture a plan of scenarios starts:
// every scenario's capture is honoured (merged when identical) or rejected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/scenario.hpp"

using namespace vantage;
using ::testing::AllOf;
using ::testing::HasSubstr;

namespace {

// A scenario named `file` with `capture` (a JSON object, or "" for none) and,
// when `capture_check`, a capture check.
scenarios::Scenario scenario(const std::string& file, const std::string& capture,
                             bool capture_check = false, scenarios::LoadOptions opt = {}) {
  std::string text = R"({"vantage": 1, "target": "192.0.2.1", "vars": {"ns": {"default": ""}},
    "sources": {"mgmt": {"address": "192.0.2.10"}},)";
  if (!capture.empty()) text += "\"capture\": " + capture + ",";
  text +=
      R"("checks": [{"id": "t", "probe": "tcp", "port": 8729, "from": "mgmt", "expect": "open"})";
  if (capture_check) text += R"(, {"id": "c", "probe": "capture", "expect": "no-plaintext-api"})";
  text += "]}";
  return scenarios::parse_scenario(ConfigDoc::parse(file, text), opt);
}

std::vector<Diagnostic> conflicts(const std::vector<scenarios::Scenario>& plan) {
  try {
    scenarios::plan_capture(plan);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace

TEST(CaptureConfig, LoaderFillsTheTypedConfig) {
  auto sc = scenario("a.json", R"({"interface": "eth1", "netns": "${ns}", "filter": "not port 22",
      "file": "out/run.pcap", "drain_ms": 250, "api_ports": [8728, 18728], "tls_ports": [8729]})",
                     false, {.vars = {{"ns", "router"}}, .target = {}});
  ASSERT_TRUE(sc.capture);
  EXPECT_EQ(sc.capture->interface, "eth1");
  EXPECT_EQ(sc.capture->netns, "router");
  EXPECT_EQ(sc.capture->filter, "not port 22");
  EXPECT_EQ(sc.capture->file, "out/run.pcap");
  EXPECT_EQ(sc.capture->drain, std::chrono::milliseconds(250));
  EXPECT_EQ(sc.capture->api_ports, (std::vector<std::uint16_t>{8728, 18728}));
  EXPECT_EQ(sc.capture->tls_ports, (std::vector<std::uint16_t>{8729}));
}

TEST(CaptureConfig, AnEmptyNetnsIsNone) {
  auto sc = scenario("a.json", R"({"netns": "${ns}"})");
  ASSERT_TRUE(sc.capture);
  EXPECT_EQ(sc.capture->netns, std::nullopt);
}

TEST(CaptureConfig, NoCaptureObjectIsNoConfig) {
  EXPECT_FALSE(scenario("a.json", "").capture);
  EXPECT_FALSE(scenario("a.json", "", true).capture);
}

TEST(CaptureConfig, LoaderStillRejectsABadCaptureObject) {
  try {
    scenario("a.json", R"({"interfac": "eth1"})");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].path, "capture.interfac");
    EXPECT_THAT(e.diagnostics()[0].message, HasSubstr("interface"));
  }
}

TEST(PlanCapture, NoneWhenNoScenarioWantsOne) {
  EXPECT_FALSE(scenarios::plan_capture({scenario("a.json", ""), scenario("b.json", "")}));
  EXPECT_FALSE(scenarios::plan_capture({}));
}

TEST(PlanCapture, ACaptureCheckAloneGetsTheDefaults) {
  auto cfg = scenarios::plan_capture({scenario("a.json", ""), scenario("b.json", "", true)});
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->interface, "any");
  EXPECT_EQ(cfg->file, "capture.pcap");
}

TEST(PlanCapture, ACaptureObjectWithoutACheckStillCaptures) {
  auto cfg = scenarios::plan_capture({scenario("a.json", R"({"interface": "eth1"})")});
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->interface, "eth1");
}

// Before: the first scenario wanting a capture was chosen, so a capture-check
// scenario listed first made the run capture on the defaults and drop a later
// scenario's "capture" object.
TEST(PlanCapture, ALaterCaptureObjectIsHonoured) {
  auto cfg = scenarios::plan_capture(
      {scenario("check.json", "", true), scenario("cfg.json", R"({"interface": "eth1"})")});
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->interface, "eth1");
}

TEST(PlanCapture, IdenticalCapturesMerge) {
  auto cfg = scenarios::plan_capture(
      {scenario("a.json", R"({"interface": "eth1", "file": "run.pcap"})", true),
       scenario("b.json", R"({"file": "./run.pcap", "interface": "eth1"})", true)});
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->interface, "eth1");
  EXPECT_EQ(cfg->file, "run.pcap");
}

TEST(PlanCapture, DifferentCapturesAreAnErrorNamingBothFiles) {
  auto d = conflicts({scenario("a.json", R"({"interface": "eth1"})"),
                      scenario("b.json", R"({"interface": "eth1"})"),
                      scenario("c.json", R"({"interface": "eth2", "drain_ms": 100})")});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "c.json");
  EXPECT_EQ(d[0].path, "capture");
  EXPECT_THAT(d[0].message, AllOf(HasSubstr("a.json"), HasSubstr("interface: \"eth2\" here"),
                                  HasSubstr("\"eth1\" in a.json"), HasSubstr("drain_ms: 100 here"),
                                  ::testing::Not(HasSubstr("file"))));
}

TEST(PlanCapture, EveryDisagreeingScenarioIsNamed) {
  auto d =
      conflicts({scenario("a.json", R"({"netns": "r1"})"), scenario("b.json", R"({"netns": "r2"})"),
                 scenario("c.json", R"({"api_ports": [1, 2]})")});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].file, "b.json");
  EXPECT_THAT(d[0].message, HasSubstr("netns: \"r2\" here, \"r1\" in a.json"));
  EXPECT_EQ(d[1].file, "c.json");
  EXPECT_THAT(d[1].message, AllOf(HasSubstr("netns: none here"), HasSubstr("api_ports: [1, 2]")));
}

TEST(PlanCapture, AnExplicitDefaultMatchesAnEmptyObject) {
  EXPECT_TRUE(scenarios::plan_capture(
      {scenario("a.json", "{}"), scenario("b.json", R"({"interface": "any"})")}));
}

// A fleet run loads one file per target: copies that differ only in their
// ports (a per-target port variable) are one capture watching them all;
// anything else, or another file's ports, still conflicts.
TEST(PlanCapture, OneFilesPerTargetCopiesMergeTheirPorts) {
  const std::string c1 = R"({"interface": "lo", "api_ports": [8728], "tls_ports": [8729]})";
  const std::string c2 = R"({"interface": "lo", "api_ports": [18728], "tls_ports": [8729]})";
  const auto cfg =
      scenarios::plan_capture({scenario("fleet.json", c1), scenario("fleet.json", c2)});
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->api_ports, (std::vector<std::uint16_t>{8728, 18728}));
  EXPECT_EQ(cfg->tls_ports, (std::vector<std::uint16_t>{8729}));
  EXPECT_EQ(conflicts({scenario("a.json", c1), scenario("b.json", c2)}).size(), 1u);
  const std::string c3 = R"({"interface": "eth0", "api_ports": [18728]})";
  EXPECT_EQ(conflicts({scenario("fleet.json", c1), scenario("fleet.json", c3)}).size(), 1u);
}
