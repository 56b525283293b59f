// The merge of shard reports, from JSON reports as the shards write them:
// targets back in inventory order, missing shards named and exit 2,
// duplicates and shards of other runs refused with the files named.
#include "fleet/merge.hpp"

#include <gtest/gtest.h>

#include "reports/json_report.hpp"

namespace vantage::fleet {
namespace {

struct FakeSpec : results::CheckSpec {
  results::Verdict judge(const results::Observation&) const override { return {}; }
  json expected() const override { return "open"; }
};

// A shard's JSON report: one check on each of its targets; a target whose
// name starts with "bad" fails.
std::string shard_json(int k, int n, const std::vector<std::pair<std::string, int>>& targets,
                       const std::string& inventory_fp = "inv1",
                       const std::string& plan_fp = "plan1",
                       std::vector<std::string> warnings = {}) {
  results::CheckCommon common;
  common.id = "api-ssl-open";
  common.probe = "tcp";
  common.port = 8729;
  common.fingerprint = "c1";
  results::RunReport r;
  results::ScenarioResult s;
  s.file = "fleet.json";
  s.name = "fleet";
  s.fingerprint = "s1";
  results::FleetInfo f;
  f.inventory = "hosts.ini";
  f.inventory_targets = 6;
  f.targets_fingerprint = inventory_fp;
  f.shard = k;
  f.shards = n;
  f.scenario_fingerprint = plan_fp;
  for (const auto& [name, index] : targets) {
    s.targets.push_back(name);
    results::CheckResult cr;
    cr.check = &common;
    cr.spec = std::make_shared<FakeSpec>();
    cr.target = name;
    cr.target_host = "192.0.2." + std::to_string(index + 1);
    cr.source = "mgmt";
    const bool bad = name.rfind("bad", 0) == 0;
    cr.verdict = {bad ? results::Status::kFail : results::Status::kPass, "m", "open",
                  bad ? "closed" : "open"};
    s.results.push_back(cr);
    f.selected.push_back({name, index});
  }
  r.scenarios.push_back(std::move(s));
  r.fleet = f;
  r.warnings = std::move(warnings);
  r.started = results::SystemTime(std::chrono::seconds(1795619045 + k));
  r.elapsed = std::chrono::duration<double>(1.5);
  return reports::render_json_text(r);
}

reports::ReadReport read(const std::string& file, const std::string& text) {
  return reports::read_json_report(ConfigDoc::parse(file, text));
}

std::vector<reports::ReadReport> three() {
  std::vector<reports::ReadReport> v;
  v.push_back(read("s2.json", shard_json(2, 3, {{"r2", 1}, {"bad5", 4}})));
  v.push_back(read("s1.json", shard_json(1, 3, {{"r1", 0}, {"r4", 3}})));
  v.push_back(read("s3.json", shard_json(3, 3, {{"r3", 2}, {"r6", 5}})));
  return v;
}

std::string usage_error(std::vector<reports::ReadReport> shards) {
  try {
    merge_shards(std::move(shards));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(merged)";
}

TEST(FleetMerge, TargetsComeBackInInventoryOrder) {
  const auto m = merge_shards(three());
  ASSERT_EQ(m.report.scenarios.size(), 1u);
  const auto& s = m.report.scenarios[0];
  EXPECT_EQ(s.targets, (std::vector<std::string>{"r1", "r2", "r3", "r4", "bad5", "r6"}));
  ASSERT_EQ(s.results.size(), 6u);
  EXPECT_EQ(s.results[4].target, "bad5");
  EXPECT_EQ(s.results[4].verdict.status, results::Status::kFail);
  EXPECT_EQ(s.results[4].check->id, "api-ssl-open");
  ASSERT_TRUE(m.report.fleet);
  EXPECT_EQ(m.report.fleet->shard, 0);
  EXPECT_EQ(m.report.fleet->shards, 3);
  EXPECT_EQ(m.report.fleet->selected.size(), 6u);
  EXPECT_EQ(m.report.fleet->merged_from,
            (std::vector<std::string>{"s1.json", "s2.json", "s3.json"}));
  EXPECT_TRUE(m.report.fleet->missing_shards.empty());
  EXPECT_EQ(results::exit_code_for(m.report), 1);
  // From the first shard's start to the last one's end.
  EXPECT_EQ(m.report.started, results::SystemTime(std::chrono::seconds(1795619046)));
  EXPECT_NEAR(m.report.elapsed.count(), 3.5, 1e-6);
}

TEST(FleetMerge, MissingShardsAreNamedAndExit2) {
  auto v = three();
  v.erase(v.begin());  // shard 2
  const auto m = merge_shards(std::move(v));
  EXPECT_EQ(m.report.fleet->missing_shards, (std::vector<int>{2}));
  EXPECT_EQ(m.report.scenarios[0].targets, (std::vector<std::string>{"r1", "r3", "r4", "r6"}));
  EXPECT_EQ(results::exit_code_for(m.report), 2) << "not 0, though every present check passed";
  EXPECT_NE(results::exit_reason(m.report).find("shard(s) 2/3 missing"), std::string::npos)
      << results::exit_reason(m.report);
}

TEST(FleetMerge, DuplicatesAndOtherRunsAreRefusedNamingTheFiles) {
  auto v = three();
  v.push_back(read("copy-of-s1.json", shard_json(1, 3, {{"r1", 0}, {"r4", 3}})));
  const auto dup = usage_error(std::move(v));
  EXPECT_NE(dup.find("shard 1/3 given twice: s1.json and copy-of-s1.json"), std::string::npos)
      << dup;

  v = three();
  v[1] = read("other-inv.json", shard_json(1, 3, {{"r1", 0}, {"r4", 3}}, "inv2"));
  const auto inv = usage_error(std::move(v));
  EXPECT_NE(inv.find("shards of different runs: s2.json has inventory fingerprint inv1, "
                     "other-inv.json has inv2"),
            std::string::npos)
      << inv;

  v = three();
  v[2] = read("other-plan.json", shard_json(3, 3, {{"r3", 2}, {"r6", 5}}, "inv1", "plan2"));
  EXPECT_NE(usage_error(std::move(v)).find("scenario fingerprint"), std::string::npos);

  v = three();
  v[2] = read("n4.json", shard_json(3, 4, {{"r3", 2}, {"r6", 5}}));
  EXPECT_NE(usage_error(std::move(v)).find("shard count N"), std::string::npos);

  results::RunReport plain;
  v = three();
  v.push_back(read("plain.json", reports::render_json_text(plain)));
  EXPECT_NE(usage_error(std::move(v)).find("plain.json is not a shard's report"),
            std::string::npos);
}

TEST(FleetMerge, AWaiverThatMatchesInAnotherShardIsNoWarning) {
  std::vector<reports::ReadReport> v;
  const std::string unmatched = "w.json:3: waiver for x (target r1) matches no result; remove it";
  v.push_back(read("s1.json", shard_json(1, 2, {{"r1", 0}}, "inv1", "plan1", {"common"})));
  v.push_back(
      read("s2.json", shard_json(2, 2, {{"r2", 1}}, "inv1", "plan1", {unmatched, "common"})));
  auto m = merge_shards(std::move(v));
  EXPECT_EQ(m.report.warnings, (std::vector<std::string>{"common"}));
}

}  // namespace
}  // namespace vantage::fleet
