// The CI examples in docs/ci/ are run, not just shown: every `vantage`
// command in gitlab-ci.yml and github-actions.yml runs as written against the
// emulated demo router, from a checkout-like directory (scenarios/,
// acceptance/), and what it writes is validated: SARIF against the official
// schema, JUnit against both XSDs. The example waiver file agrees with
// docs/waivers.schema.json. Root: the shipped scenario captures on lo.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json_config.hpp"
#include "lab/router.hpp"
#include "tests/support/topology.hpp"

namespace vantage {
namespace {

namespace fs = std::filesystem;
using testing::run_vantage;
using testing::TempDir;

const std::string kSrc = VANTAGE_SOURCE_DIR;

std::string slurp(const std::string& path) {
  return vantage::testing::read_file(path);
}

// Each line that is a vantage command (in a YAML list or a run: block), as argv.
std::vector<std::vector<std::string>> vantage_commands(const std::string& file) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(slurp(file));
  for (std::string line; std::getline(in, line);) {
    auto at = line.find_first_not_of(" \t-");
    if (at == std::string::npos || line.compare(at, 8, "vantage ") != 0) continue;
    std::istringstream words(line.substr(at + 8));
    std::vector<std::string> argv;
    for (std::string w; words >> w;) argv.push_back(w);
    out.push_back(argv);
  }
  return out;
}

int shell(const std::string& cmd) {
  const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int json_schema_valid(const std::string& schema, const std::string& doc) {
  return shell(
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' " +
      schema + " " + doc);
}

class CiExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = lab::parse_config(ConfigDoc::load(kSrc + "/lab/configs/demo.json"));
    cfg.listen = {"127.0.0.1"};
    for (auto& [name, svc] : cfg.services) svc.port = 0;
    for (const auto& u : cfg.users)
      if (u.name == "audit") ::setenv("VANTAGE_PASSWORD", u.password.c_str(), 1);
    router_ = std::make_unique<lab::Router>(cfg);
    router_->start();
    // A checkout: the shipped scenarios, and acceptance/ as docs/ci/README.md says.
    old_cwd_ = fs::current_path();
    fs::current_path(dir_.path());
    fs::create_symlink(kSrc + "/scenarios", "scenarios");
    fs::create_directory("acceptance");
    fs::copy_file(kSrc + "/docs/ci/waivers.json", "acceptance/waivers.json");
    dir_.write("acceptance/ca.pem", router_->ca_pem());
    json vars = {{"router", "127.0.0.1"},
                 {"router_name", router_->identity()},
                 {"server_name", router_->identity()},
                 {"ca_file", dir_.file("acceptance/ca.pem")},
                 {"api_port", std::to_string(router_->port("api"))},
                 {"api_ssl_port", std::to_string(router_->port("api-ssl"))},
                 {"www_port", std::to_string(router_->port("www"))},
                 {"mgmt_address", "127.0.0.2"},
                 {"mgmt_other_address", "127.0.0.3"},
                 {"outside_address", "127.0.0.4"},
                 {"capture_interface", "lo"}};
    dir_.write("acceptance/router.vars.json", vars.dump(2));
    // The last accepted state, refreshed as docs/ci/README.md says (the demo
    // router has known debt: exit 1).
    std::string out, err;
    ASSERT_EQ(run_vantage({"run", "scenarios/routeros-api-hardening.json", "--vars",
                           "acceptance/router.vars.json", "--json", "acceptance/baseline.json"},
                          &out, &err),
              1)
        << out << err;
  }
  void TearDown() override { fs::current_path(old_cwd_); }

  void run_example(const std::string& name) {
    const auto commands = vantage_commands(kSrc + "/docs/ci/" + name);
    ASSERT_EQ(commands.size(), 2u) << name << ": the run and the diff";
    for (const auto& argv : commands) {
      std::string out, err;
      EXPECT_EQ(run_vantage(argv, &out, &err), 0) << name << ": vantage " << argv[0] << "\n"
                                                  << out << err;
    }
    const std::string schemas = kSrc + "/tests/data/schemas/";
    EXPECT_EQ(json_schema_valid(schemas + "sarif-schema-2.1.0.json", "reports/report.sarif"), 0);
    for (const char* xsd : {"junit-10.xsd", "ant-junit.xsd"})
      EXPECT_EQ(shell("xmllint --noout --schema " + schemas + xsd + " reports/report.xml"), 0)
          << xsd;
    // The example waiver accepts the demo router's REST on plain http.
    EXPECT_NE(slurp("reports/report.json").find("\"status\": \"waived\""), std::string::npos);
    fs::remove_all("reports");
  }

  TempDir dir_;
  fs::path old_cwd_;
  std::unique_ptr<lab::Router> router_;
};

TEST_F(CiExamples, GithubActionsCommandsRunAgainstTheDemoRouter) {
  run_example("github-actions.yml");
}

TEST_F(CiExamples, GitlabCiCommandsRunAgainstTheDemoRouter) {
  run_example("gitlab-ci.yml");
}

TEST(CiWaivers, TheExampleFollowsTheSchemaAndABrokenOneDoesNot) {
  const std::string schema = kSrc + "/docs/waivers.schema.json";
  EXPECT_EQ(json_schema_valid(schema, kSrc + "/docs/ci/waivers.json"), 0);
  TempDir d;
  auto broken = json::parse(slurp(kSrc + "/docs/ci/waivers.json"));
  broken["waivers"][0].erase("owner");
  d.write("w.json", broken.dump());
  EXPECT_NE(json_schema_valid(schema, d.file("w.json")), 0);
}

}  // namespace
}  // namespace vantage
