#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scenarios/scenario.hpp"

using namespace vantage;
using ::testing::HasSubstr;

namespace {

std::vector<Diagnostic> problems(const std::string& text, scenarios::LoadOptions opt = {}) {
  try {
    scenarios::parse_scenario(ConfigDoc::parse("s.json", text), opt);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

const char* kGood = R"({
  // comments are allowed
  "vantage": 1,
  "name": "core-rtr-1 api hardening",
  "target": { "host": "192.0.2.1", "server_name": "core-rtr-1.example.net" },
  "sources": { "mgmt": { "address": "192.0.2.10" }, "outside": { "netns": "outside" } },
  "defaults": { "timeout_ms": 2000, "attempts": 2 },
  "checks": [
    { "id": "api-plain-closed", "probe": "tcp", "port": 8728, "from": ["mgmt", "outside"], "expect": "not-open" },
    { "id": "api-ssl-mgmt", "probe": "tcp", "port": 8729, "from": "mgmt", "expect": "open", "severity": "critical" },
    { "id": "api-ssl-outside", "probe": "tcp", "port": 8729, "from": "outside", "expect": ["filtered", "unreachable"],
      "timeout_ms": 500, "attempts": 1 }
  ]
})";

}  // namespace

TEST(Loader, LoadsAGoodScenario) {
  auto sc = scenarios::parse_scenario(ConfigDoc::parse("s.json", kGood));
  EXPECT_EQ(sc.name, "core-rtr-1 api hardening");
  ASSERT_EQ(sc.targets.size(), 1u);
  EXPECT_EQ(sc.targets[0].server_name, "core-rtr-1.example.net");
  ASSERT_EQ(sc.sources.size(), 2u);
  ASSERT_EQ(sc.checks.size(), 3u);
  EXPECT_EQ(sc.checks[0].common.from, (std::vector<std::string>{"mgmt", "outside"}));
  EXPECT_EQ(sc.checks[0].common.timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(sc.checks[1].common.severity, "critical");
  EXPECT_EQ(sc.checks[2].common.timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(sc.checks[2].common.attempts, 1);
  EXPECT_EQ(sc.checks[2].spec->expected(), "filtered or unreachable");
}

TEST(Loader, SyntaxErrorHasLineAndColumn) {
  auto d = problems("{\n  \"vantage\": 1,\n  \"name\": \"x\"\n  \"checks\": []\n}");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "s.json");
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_THAT(d[0].to_string(), HasSubstr("s.json:4:3: JSON syntax error"));
}

TEST(Loader, UnknownKeySuggestsTheRightOne) {
  std::string text = kGood;
  text.replace(text.find("\"expect\": \"open\""), 8, "\"expcet\"");
  auto d = problems(text);
  ASSERT_GE(d.size(), 1u);
  bool found = false;
  for (const auto& x : d) {
    if (x.path == "checks[1].expcet") {
      found = true;
      EXPECT_THAT(x.message, HasSubstr("did you mean \"expect\""));
      EXPECT_EQ(x.line, 10);
      EXPECT_GT(x.column, 1);
    }
  }
  EXPECT_TRUE(found) << d[0].to_string();
}

TEST(Loader, UnknownSourcePortOutcomeDuplicateAllAtOnce) {
  const char* text = R"({
    "vantage": 1, "target": "192.0.2.1",
    "sources": { "mgmt": { "address": "192.0.2.10" } },
    "checks": [
      { "id": "a", "probe": "tcp", "port": 70000, "from": "mgnt", "expect": "open" },
      { "id": "a", "probe": "tcp", "port": 22, "from": "mgmt", "expect": "opne" }
    ]
  })";
  auto d = problems(text);
  ASSERT_EQ(d.size(), 4u);
  std::string all;
  for (const auto& x : d) all += x.to_string() + "\n";
  EXPECT_THAT(all, HasSubstr("checks[0].port: 70000 is out of range; expected 1-65535"));
  EXPECT_THAT(all, HasSubstr("checks[0].from: unknown source \"mgnt\"; did you mean \"mgmt\"?"));
  EXPECT_THAT(all, HasSubstr("checks[1].id: duplicate check id \"a\""));
  EXPECT_THAT(all, HasSubstr("checks[1].expect: unknown outcome \"opne\"; did you mean \"open\"?"));
  for (const auto& x : d) EXPECT_GT(x.line, 1) << x.to_string();
}

TEST(Loader, EmptyChecksIsAnError) {
  auto d = problems(R"({"vantage": 1, "target": "192.0.2.1", "checks": []})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "checks");
  EXPECT_THAT(d[0].message, HasSubstr("is empty"));
}

TEST(Loader, UnknownProbeAndTopLevelKey) {
  auto d = problems(R"({"vantage": 1, "target": "192.0.2.1", "sourcse": {},
    "checks": [{"id": "x", "probe": "tpc", "port": 1, "from": "a", "expect": "open"}]})");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_THAT(d[0].message, HasSubstr("did you mean \"sources\""));
  EXPECT_THAT(d[1].message, HasSubstr("unknown probe \"tpc\"; did you mean \"tcp\"?"));
}

TEST(Loader, MissingTargetAndVersion) {
  auto d = problems(
      R"({"checks": [{"id": "x", "probe": "tcp", "port": 1, "from": [], "expect": "open"}]})");
  std::string all;
  for (const auto& x : d) all += x.to_string() + "\n";
  EXPECT_THAT(all, HasSubstr("missing \"vantage\": 1"));
  EXPECT_THAT(all, HasSubstr("missing \"target\""));
  EXPECT_THAT(all, HasSubstr("name at least one source"));
}

TEST(Loader, VariablesSubstituteAndReportMissingOnes) {
  const char* text = R"({"vantage": 1, "vars": {"rtr": null, "port": {"default": "8729"}},
    "target": "${rtr}", "sources": {"m": {}},
    "checks": [{"id": "x", "probe": "tcp", "port": "${port}", "from": "m", "expect": "open"}]})";
  auto d = problems(text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("pass --var rtr=VALUE"));
  scenarios::LoadOptions opt;
  opt.vars = {{"rtr", "203.0.113.7"}, {"port", "443"}};
  auto sc = scenarios::parse_scenario(ConfigDoc::parse("s.json", text), opt);
  EXPECT_EQ(sc.targets[0].host, "203.0.113.7");
  EXPECT_EQ(sc.checks[0].common.port, 443);
  opt.vars = {{"rtx", "1"}};
  d = problems(text, opt);
  std::string all;
  for (const auto& x : d) all += x.to_string() + "\n";
  EXPECT_THAT(all,
              HasSubstr("--var rtx is not a variable of this scenario; did you mean \"rtr\"?"));
}

TEST(Loader, ShippedSchemaMatchesTheLoader) {
  std::ifstream in(std::string(VANTAGE_SOURCE_DIR) + "/scenarios/schema.json");
  ASSERT_TRUE(in)
      << "scenarios/schema.json is missing; regenerate: vantage schema > scenarios/schema.json";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(json::parse(ss.str()), scenarios::scenario_schema())
      << "scenarios/schema.json is stale; regenerate: build/vantage schema > scenarios/schema.json";
}

TEST(Loader, EveryShippedScenarioLoads) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(VANTAGE_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".json" || e.path().filename() == "schema.json") continue;
    scenarios::LoadOptions opt;
    // Shipped scenarios may declare required variables; give each a value.
    auto doc = ConfigDoc::load(e.path().string());
    if (doc.root().contains("vars"))
      for (const auto& [k, v] : doc.root()["vars"].items())
        if (v.is_null() || (v.is_object() && !v.contains("default")))
          opt.vars[k] = k.ends_with("_file") ? e.path().string() : "192.0.2.1";
    EXPECT_NO_THROW(scenarios::parse_scenario(doc, opt)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 1);
}

// A fleet target (run --inventory) replaces the scenario's target: the
// variables the target's host and name are take the inventory's, the target's
// own variables fill the rest; conflicts and near misses are located at the
// target's line in the inventory.
TEST(LoaderFleet, AnInventoryTargetFillsItsCopyOfTheScenario) {
  const char* text = R"({"vantage": 1,
    "vars": {"router": null, "router_name": {"default": ""}, "server_name": null,
             "port": {"default": "8729"}},
    "target": {"host": "${router}", "name": "${router_name}", "server_name": "${server_name}"},
    "sources": {"m": {}},
    "checks": [{"id": "x", "probe": "tcp", "port": "${port}", "from": "m", "expect": "open",
                "description": "api-ssl on ${router}"}]})";
  scenarios::LoadOptions opt;
  opt.target = scenarios::TargetOverride{
      "rtr-1",
      "192.0.2.1",
      {{"server_name", "rtr-1.example.net"}, {"port", "9729"}, {"site", "x"}},
      "hosts.ini",
      4,
      1};
  auto sc = scenarios::parse_scenario(ConfigDoc::parse("s.json", text), opt);
  ASSERT_EQ(sc.targets.size(), 1u);
  EXPECT_EQ(sc.targets[0].name, "rtr-1");
  EXPECT_EQ(sc.targets[0].host, "192.0.2.1");
  EXPECT_EQ(sc.targets[0].server_name, "rtr-1.example.net");
  EXPECT_EQ(sc.checks[0].common.port, 9729);
  EXPECT_EQ(sc.checks[0].common.description, "api-ssl on 192.0.2.1");

  // --var and the inventory disagree: located in the inventory, both values named.
  opt.vars = {{"port", "443"}};
  auto d = problems(text, opt);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].to_string(),
            "hosts.ini:4:1: target rtr-1: --var port=443 and the inventory's port=9729 "
            "disagree; set port in one place");
  // A near miss is a typo, another unknown variable is the inventory's business.
  opt.vars = {};
  opt.target->vars = {{"server_nme", "a"}, {"site", "x"}};
  d = problems(text, opt);
  std::string all;
  for (const auto& x : d) all += x.to_string() + "\n";
  EXPECT_THAT(all, HasSubstr("hosts.ini:4:1: target rtr-1: variable server_nme is not a variable "
                             "of this scenario"));
  EXPECT_THAT(all, HasSubstr("did you mean server_name?"));
  EXPECT_THAT(all, HasSubstr("variable ${server_name} has no value; pass --var "
                             "server_name=VALUE or set it for target rtr-1 in hosts.ini:4"));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("site")));

  // A literal host is the inventory's too; a "targets" list cannot take one.
  opt.target->vars = {};
  sc = scenarios::parse_scenario(
      ConfigDoc::parse("s.json", R"({"vantage": 1, "target": "203.0.113.9", "sources": {"m": {}},
        "checks": [{"id": "x", "probe": "tcp", "port": 1, "from": "m", "expect": "open"}]})"),
      opt);
  EXPECT_EQ(sc.targets[0].host, "192.0.2.1");
  d = problems(R"({"vantage": 1, "targets": ["203.0.113.9"], "sources": {"m": {}},
        "checks": [{"id": "x", "probe": "tcp", "port": 1, "from": "m", "expect": "open"}]})",
               opt);
  ASSERT_FALSE(d.empty());
  EXPECT_THAT(d[0].message, HasSubstr("--inventory gives the targets"));
}
