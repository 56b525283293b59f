// docs/fleet.md's CI examples are run, not just shown: the `vantage` commands
// of its GitLab, GitHub Actions and Kubernetes sections run as written, in a
// checkout-like directory, through /bin/sh with the variables each CI sets
// (CI_NODE_INDEX/CI_NODE_TOTAL, the matrix's SHARD, JOB_COMPLETION_INDEX), one
// shell per shard, against three emulated demo routers on 127.0.0.51-53.
// Each section's merge must report the whole fleet. Root: the shipped
// scenario's capture check needs CAP_NET_RAW.
#include <gtest/gtest.h>

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
using testing::TempDir;

const std::string kSrc = VANTAGE_SOURCE_DIR;

std::string slurp(const std::string& path) {
  return vantage::testing::read_file(path);
}

// The vantage command lines of the section whose heading starts with `title`.
std::vector<std::string> commands_of(const std::string& title) {
  std::istringstream in(slurp(kSrc + "/docs/fleet.md"));
  std::vector<std::string> out;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) inside = line.rfind("## " + title, 0) == 0;
    if (!inside) continue;
    auto at = line.find_first_not_of(" \t-");
    if (at != std::string::npos && line.compare(at, 8, "vantage ") == 0)
      out.push_back(line.substr(at));
  }
  return out;
}

// Runs `cmd` with /bin/sh in the current directory, `env` exported, the
// built vantage first on PATH; returns the exit status.
int sh(const std::string& cmd, const std::string& env, std::string* log) {
  const std::string bin = fs::path(VANTAGE_BINARY).parent_path().string();
  const std::string full =
      "export PATH=" + bin + ":$PATH " + env + "; { " + cmd + "; } >>run.log 2>&1";
  const int rc = std::system(("/bin/sh -c '" + full + "'").c_str());
  *log = slurp("run.log");
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class FleetDocs : public ::testing::Test {
 protected:
  void SetUp() override {
    old_cwd_ = fs::current_path();
    fs::current_path(dir_.path());
    fs::create_symlink(kSrc + "/scenarios", "scenarios");
    fs::create_directories("inventory");
    fs::create_directories("config");
    std::string ini = "[core]\n";
    for (int i = 1; i <= 3; ++i) {
      auto cfg = lab::parse_config(ConfigDoc::load(kSrc + "/lab/configs/demo.json"));
      const std::string ip = "127.0.0." + std::to_string(50 + i);
      cfg.listen = {ip};
      for (auto& [name, svc] : cfg.services) svc.port = 0;
      for (const auto& u : cfg.users)
        if (u.name == "audit") ::setenv("VANTAGE_PASSWORD", u.password.c_str(), 1);
      routers_.push_back(std::make_unique<lab::Router>(cfg));
      auto& r = *routers_.back();
      r.start();
      const std::string ca = dir_.file("ca-" + std::to_string(i) + ".pem");
      dir_.write("ca-" + std::to_string(i) + ".pem", r.ca_pem());
      ini += "rtr-" + std::to_string(i) + " ansible_host=" + ip + " server_name=" + r.identity() +
             " ca_file=" + ca + " api_port=" + std::to_string(r.port("api")) +
             " api_ssl_port=" + std::to_string(r.port("api-ssl")) +
             " www_port=" + std::to_string(r.port("www")) + "\n";
    }
    dir_.write("inventory/routers.ini", ini);
    dir_.write("config/routers.ini", ini);
    const json site = {{"mgmt_address", "127.0.0.2"},
                       {"mgmt_other_address", "127.0.0.3"},
                       {"outside_address", "127.0.0.4"},
                       {"capture_interface", "lo"}};
    dir_.write("site.vars.json", site.dump(2));
    dir_.write("config/site.vars.json", site.dump(2));
  }
  void TearDown() override { fs::current_path(old_cwd_); }

  // The shard command once per shard with `env_of(k)`, then the merge; the
  // merged report must hold all three routers. `/config/` and `/reports/`
  // (the Kubernetes mounts) are directories here.
  void run_section(const std::string& title, const std::function<std::string(int)>& env_of,
                   bool failures_pass) {
    auto cmds = commands_of(title);
    ASSERT_EQ(cmds.size(), 2u) << title << ": a shard command and a merge";
    for (auto& c : cmds)
      for (const std::string mount : {"/config/", "/reports/"})
        for (auto at = c.find(mount); at != std::string::npos; at = c.find(mount))
          c.replace(at, 1, "");
    std::string log;
    for (int k = 1; k <= 3; ++k) {
      const int rc = sh(cmds[0], env_of(k), &log);
      if (failures_pass)
        EXPECT_EQ(rc, 0) << title << " shard " << k << ": " << cmds[0] << "\n" << log;
      else
        EXPECT_TRUE(rc == 0 || rc == 1) << title << " shard " << k << "\n" << log;
    }
    EXPECT_EQ(sh(cmds[1], "", &log), 1) << title << ": the demo routers fail checks\n" << log;
    const std::string merged =
        fs::exists("fleet/report.json") ? "fleet/report.json" : "reports/fleet/report.json";
    const auto j = json::parse(slurp(merged));
    EXPECT_EQ(j["fleet"]["selected"].size(), 3u) << title;
    EXPECT_TRUE(j["fleet"]["missing_shards"].empty()) << title;
    ASSERT_EQ(j["scenarios"].size(), 1u);
    const auto& targets = j["scenarios"][0]["targets"];
    ASSERT_EQ(targets.size(), 3u) << title << "\n" << log;
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(targets[i]["name"], "rtr-" + std::to_string(i + 1));
      EXPECT_GT(targets[i]["counts"]["fail"].get<int>(), 0) << "the demo router is half hardened";
    }
    for (const char* f : {"report.xml", "report.html", "report.sarif"})
      EXPECT_TRUE(fs::exists(fs::path(merged).parent_path() / f)) << f;
    // Each router's record in the merged report is its shard's, as the shard
    // wrote it: every probe's evidence read back and written again unchanged.
    const std::string base = fs::path(merged).parent_path().parent_path().string();
    for (int k = 1; k <= 3; ++k) {
      const auto shard = json::parse(
          slurp((base.empty() ? "" : base + "/") + "shard-" + std::to_string(k) + "/report.json"));
      for (const auto& t : shard["scenarios"][0]["targets"]) {
        bool found = false;
        for (const auto& m : targets) {
          if (m["name"] != t["name"]) continue;
          found = true;
          EXPECT_EQ(m, t) << t["name"];
        }
        EXPECT_TRUE(found) << t["name"];
      }
    }
    for (const auto& e : fs::directory_iterator("."))
      if (e.path().filename().string().rfind("shard-", 0) == 0 || e.path().filename() == "fleet" ||
          e.path().filename() == "reports")
        fs::remove_all(e.path());
  }

  TempDir dir_;
  fs::path old_cwd_;
  std::vector<std::unique_ptr<lab::Router>> routers_;
};

TEST_F(FleetDocs, GitlabParallelJobsAndTheirMerge) {
  run_section(
      "CI: GitLab", [](int k) { return "CI_NODE_INDEX=" + std::to_string(k) + " CI_NODE_TOTAL=3"; },
      false);
}

TEST_F(FleetDocs, GithubMatrixAndItsMerge) {
  run_section(
      "CI: GitHub", [](int k) { return "SHARD=" + std::to_string(k); }, true);
}

TEST_F(FleetDocs, KubernetesIndexedJobAndItsMerge) {
  run_section(
      "Kubernetes", [](int k) { return "JOB_COMPLETION_INDEX=" + std::to_string(k - 1); }, true);
}

}  // namespace
}  // namespace vantage
