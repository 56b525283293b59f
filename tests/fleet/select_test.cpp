// --limit and --shard: which targets a run takes. Rendezvous hashing is
// checked for what it promises: a partition, stable under a new router,
// moving only the new shard's share when N grows, and balanced.
#include "fleet/select.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/support/topology.hpp"

namespace vantage::fleet {
namespace {

using vantage::testing::TempDir;

Inventory ini(const std::string& text) {
  TempDir d;
  d.write("hosts.ini", text);
  return load_inventory(d.file("hosts.ini"));
}

std::vector<std::string> names(const std::vector<Selected>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.push_back(x.target->name);
  return out;
}

const char* kHosts =
    "[core]\nc1\nc2\n[edge]\ne1\ne2\n[branch]\nb1\n"
    "[routers:children]\ncore\nedge\n";

TEST(FleetLimit, GroupsParentsNamesAndCommaLists) {
  const auto inv = ini(kHosts);
  EXPECT_EQ(names(limit(inv, {})), (std::vector<std::string>{"c1", "c2", "e1", "e2", "b1"}));
  EXPECT_EQ(names(limit(inv, {"edge"})), (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(names(limit(inv, {"routers"})), (std::vector<std::string>{"c1", "c2", "e1", "e2"}));
  EXPECT_EQ(names(limit(inv, {"branch,c2"})), (std::vector<std::string>{"c2", "b1"}))
      << "inventory order, whatever the order asked";
  EXPECT_EQ(names(limit(inv, {"b1", "core"})), (std::vector<std::string>{"c1", "c2", "b1"}));
  const auto sel = limit(inv, {"edge"});
  EXPECT_EQ(sel[0].index, 0);
  EXPECT_EQ(sel[1].index, 1) << "indexes count the targets after --limit";
}

TEST(FleetLimit, AnUnknownGroupIsAClearError) {
  const auto inv = ini(kHosts);
  try {
    limit(inv, {"edg"});
    FAIL() << "no error";
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--limit edg: no group or target of that name"), std::string::npos) << m;
    EXPECT_NE(m.find("did you mean edge?"), std::string::npos) << m;
    EXPECT_NE(m.find("Groups: all branch core edge routers"), std::string::npos) << m;
  }
}

TEST(FleetShard, ParseSaysWhatToWrite) {
  EXPECT_EQ(parse_shard("2/3").index, 2);
  EXPECT_EQ(parse_shard("2/3").count, 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3x", "-1/3", "1/10001"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--shard takes K/N"), std::string::npos) << bad;
    }
  }
}

std::vector<std::string> fleet_names(int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back("rtr-" + std::to_string(i) + ".example.net");
  return out;
}

TEST(FleetShard, EveryTargetIsInExactlyOneShard) {
  std::string text = "[all]\n";
  for (const auto& n : fleet_names(50)) text += n + "\n";
  const auto inv = ini(text);
  const auto all = limit(inv, {});
  std::multiset<std::string> seen;
  for (int k = 1; k <= 4; ++k)
    for (const auto& s : shard_targets(all, {k, 4})) seen.insert(s.target->name);
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 50u);
}

TEST(FleetShard, ANewRouterMovesNoOtherAndANewShardTakesOnlyItsShare) {
  const auto names = fleet_names(2000);
  // Adding a router: every other's shard is a function of its own name and N.
  std::map<std::string, int> before;
  for (const auto& n : names) before[n] = shard_of(n, 5);
  for (const auto& n : names) EXPECT_EQ(shard_of(n, 5), before[n]);
  // N = 5 -> 6: a target moves only to the new shard, about 1/6 of them.
  int moved = 0;
  for (const auto& n : names) {
    const int now = shard_of(n, 6);
    if (now != before[n]) {
      ++moved;
      EXPECT_EQ(now, 6) << n << " moved between old shards";
    }
  }
  EXPECT_GT(moved, 2000 / 6 - 80);
  EXPECT_LT(moved, 2000 / 6 + 80);
  // Balanced: every shard within 20% of its share.
  std::map<int, int> per;
  for (const auto& n : names) ++per[shard_of(n, 5)];
  for (int k = 1; k <= 5; ++k) {
    EXPECT_GT(per[k], 400 * 8 / 10) << k;
    EXPECT_LT(per[k], 400 * 12 / 10) << k;
  }
}

TEST(FleetShard, TheFingerprintCoversNamesHostsAndVars) {
  const auto a = ini("[all]\nr1 ansible_host=192.0.2.1 server_name=a\nr2\n");
  const auto b = ini("[all]\nr1 ansible_host=192.0.2.1 server_name=b\nr2\n");
  const auto c = ini("[all]\nr1 ansible_host=192.0.2.1 server_name=a\nr2\n");
  EXPECT_NE(targets_fingerprint(limit(a, {})), targets_fingerprint(limit(b, {})));
  EXPECT_EQ(targets_fingerprint(limit(a, {})), targets_fingerprint(limit(c, {})));
  EXPECT_NE(targets_fingerprint(limit(a, {})), targets_fingerprint(limit(a, {"r1"})));
  // A secret the inventory holds for other tools never reaches the report's hash.
  const auto s1 = ini("[all]\nr1 ansible_host=192.0.2.1 server_name=a ansible_password=pw1\nr2\n");
  const auto s2 = ini("[all]\nr1 ansible_host=192.0.2.1 server_name=a ansible_password=pw2\nr2\n");
  EXPECT_EQ(targets_fingerprint(limit(s1, {})), targets_fingerprint(limit(s2, {})));
  EXPECT_EQ(targets_fingerprint(limit(s1, {})), targets_fingerprint(limit(a, {})));
}

}  // namespace
}  // namespace vantage::fleet
