// A fleet through the real binary: six routers (loopback listeners at
// 127.0.0.21-26, started here) in an Ansible inventory, run once whole and
// once as three shards; the merge of the shards is the whole run's report,
// timings aside. Then what the merge refuses: a missing shard (exit 2, named),
// the same shard twice, shards of another inventory or scenario (files named).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>

#include "core/json_config.hpp"
#include "fleet/select.hpp"
#include "tests/support/topology.hpp"

namespace vantage::fleet {
namespace {

using vantage::testing::run_vantage;
using vantage::testing::TcpListener;
using vantage::testing::TempDir;

const char* kScenario = R"({
  "vantage": 1,
  "name": "fleet reachability",
  "vars": {
    "router": {"description": "the router's address"},
    "router_name": {"default": ""},
    "server_name": {"default": ""},
    "api_port": {"description": "plain api port, which must be closed"},
    "api_ssl_port": {"description": "api-ssl port, which must be open"}
  },
  "target": {"host": "${router}", "name": "${router_name}", "server_name": "${server_name}"},
  "sources": {"mgmt": {"address": "127.0.0.1"}},
  "defaults": {"timeout_ms": 3000, "attempts": 1},
  "checks": [
    {"id": "api-ssl-open", "probe": "tcp", "port": "${api_ssl_port}", "from": "mgmt", "expect": "open",
     "description": "api-ssl answers on ${router}"},
    {"id": "plain-api-closed", "probe": "tcp", "port": "${api_port}", "from": "mgmt",
     "expect": "not-open", "fix": "/ip service set api disabled=yes"}
  ]
})";

// Six routers, each with api-ssl listening on its own address; rtr-4 has
// plain api open too (its api_port is its api-ssl listener): one failure.
struct Fleet {
  std::vector<std::unique_ptr<TcpListener>> listeners;
  int closed_port = 0;
  std::string inventory;

  Fleet() {
    {
      TcpListener gone("", "127.0.0.21", 0, false);
      closed_port = gone.port();
    }  // closed again: nothing listens there now
    std::string core, edge;
    for (int i = 1; i <= 6; ++i) {
      const std::string ip = "127.0.0." + std::to_string(20 + i);
      listeners.push_back(std::make_unique<TcpListener>("", ip, 0, false));
      const std::string port = std::to_string(listeners.back()->port());
      std::string line = "rtr-" + std::to_string(i) + " ansible_host=" + ip +
                         " api_ssl_port=" + port + " server_name=rtr-" + std::to_string(i) +
                         ".example.net";
      if (i == 4) line += " api_port=" + port;
      (i <= 3 ? core : edge) += line + "\n";
    }
    inventory = "[core]\n" + core + "[edge]\n" + edge + "[routers:children]\ncore\nedge\n" +
                "[all:vars]\napi_port=" + std::to_string(closed_port) + "\n";
  }
};

// What differs between two runs of the same checks: the times (a
// handshake's RTT in a message), the evidence's measurements and local ports.
std::string without_timings(const std::string& s) {
  return std::regex_replace(s, std::regex(R"([0-9]+(\.[0-9]+)? ms)"), "N ms");
}

// The report without what differs between two runs of the same checks: the
// timings, and which files a merge read.
json comparable(json j) {
  std::function<void(json&)> strip = [&](json& v) {
    if (v.is_object()) {
      v.erase("started");
      v.erase("elapsed_s");
      if (v.contains("evidence")) {  // an observation: measurements (rtt, local port)
        v.erase("evidence");
        v["summary"] = without_timings(v["summary"].get<std::string>());
      }
      if (v.contains("message") && v["message"].is_string())
        v["message"] = without_timings(v["message"].get<std::string>());
      for (auto& [k, x] : v.items()) strip(x);
    } else if (v.is_array()) {
      for (auto& x : v) strip(x);
    }
  };
  strip(j);
  if (j.contains("fleet")) {
    j["fleet"].erase("merged_from");
    j["fleet"].erase("shards");
  }
  return j;
}

// JUnit without its times and measured numbers: the cases, their order and
// their outcomes stay.
std::string without_times(const std::string& xml) {
  const auto no_attrs = std::regex_replace(xml, std::regex(R"((time|timestamp)="[^"]*")"), "");
  return std::regex_replace(no_attrs, std::regex("[0-9]+"), "N");
}

json read_json(const TempDir& d, const std::string& name) {
  return json::parse(d.read(name));
}

class FleetE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    d.write("s.json", kScenario);
    d.write("hosts.ini", fleet.inventory);
  }
  int run(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
    std::string o, e;
    if (args.front() != "validate") args.push_back("--no-color");
    const int rc = run_vantage(args, &o, &e);
    if (out) *out = o;
    if (err) *err = e;
    last = o + e;
    return rc;
  }
  int shard(int k, const std::string& inventory = "hosts.ini",
            const std::string& scenario = "s.json", const std::string& dir = "") {
    return run({"run", d.file(scenario), "--inventory", d.file(inventory), "--shard",
                std::to_string(k) + "/3", "--report-dir",
                d.file(dir.empty() ? "shard-" + std::to_string(k) : dir)});
  }
  Fleet fleet;
  TempDir d;
  std::string last;
};

TEST_F(FleetE2e, ThreeShardsMergeToTheUnshardedReport) {
  std::string out;
  ASSERT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--report-dir",
                 d.file("whole")},
                &out),
            1)
      << last;
  EXPECT_NE(out.find("fleet: 6 targets of " + d.file("hosts.ini")), std::string::npos) << out;
  const json whole = read_json(d, "whole/report.json");
  ASSERT_EQ(whole["counts"]["total"], 12) << whole.dump(1);
  EXPECT_EQ(whole["counts"]["fail"], 1);
  ASSERT_EQ(whole["scenarios"].size(), 1u) << "one scenario, the fleet's targets in it";
  const auto& targets = whole["scenarios"][0]["targets"];
  ASSERT_EQ(targets.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(targets[i]["name"], "rtr-" + std::to_string(i + 1));
    EXPECT_EQ(targets[i]["host"], "127.0.0." + std::to_string(21 + i));
  }
  EXPECT_EQ(targets[3]["checks"][1]["verdict"]["status"], "fail") << "rtr-4's plain api";
  EXPECT_EQ(targets[3]["checks"][1]["verdict"]["observed"], "open");

  int in_shards = 0;
  for (int k = 1; k <= 3; ++k) {
    const int rc = shard(k);
    EXPECT_TRUE(rc == 0 || rc == 1) << last;
    const json s = read_json(d, "shard-" + std::to_string(k) + "/report.json");
    EXPECT_EQ(s["fleet"]["shard"]["index"], k);
    EXPECT_EQ(s["fleet"]["shard"]["count"], 3);
    EXPECT_EQ(s["fleet"]["inventory"]["targets"], 6);
    EXPECT_EQ(s["fleet"]["inventory"]["fingerprint"], whole["fleet"]["inventory"]["fingerprint"]);
    EXPECT_EQ(s["fleet"]["scenario_fingerprint"], whole["fleet"]["scenario_fingerprint"]);
    for (const auto& t : s["fleet"]["selected"])
      EXPECT_EQ(shard_of(t["name"].get<std::string>(), 3), k) << t.dump();
    in_shards += static_cast<int>(s["fleet"]["selected"].size());
  }
  EXPECT_EQ(in_shards, 6);

  ASSERT_EQ(run({"merge", d.file("shard-1/report.json"), d.file("shard-2/report.json"),
                 d.file("shard-3/report.json"), "--report-dir", d.file("merged")},
                &out),
            1)
      << last;
  EXPECT_NE(out.find("merged from 3 of 3 shard reports"), std::string::npos) << out;
  EXPECT_NE(out.find("/ip service set api disabled=yes  (plain-api-closed)"), std::string::npos)
      << out;
  const json merged = read_json(d, "merged/report.json");
  EXPECT_EQ(comparable(merged), comparable(whole)) << "merged:\n"
                                                   << comparable(merged).dump(1) << "\nwhole:\n"
                                                   << comparable(whole).dump(1);
  EXPECT_EQ(without_times(d.read("merged/report.xml")), without_times(d.read("whole/report.xml")));
  EXPECT_EQ(d.read("merged/report.sarif").size() > 0, true);
  EXPECT_EQ(json::parse(d.read("merged/report.sarif"))["runs"][0]["results"].size(),
            json::parse(d.read("whole/report.sarif"))["runs"][0]["results"].size());
  EXPECT_NE(d.read("merged/report.html").find("rtr-6"), std::string::npos);
}

TEST_F(FleetE2e, MissingDuplicateAndForeignShardsAreRefused) {
  for (int k = 1; k <= 3; ++k) ASSERT_NE(shard(k), 64) << last;
  std::string out, err;
  EXPECT_EQ(run({"merge", d.file("shard-1/report.json"), d.file("shard-3/report.json"),
                 "--report-dir", d.file("partial")},
                &out, &err),
            2)
      << last;
  EXPECT_NE(err.find("shard(s) 2 of 3 missing"), std::string::npos) << err;
  EXPECT_NE(out.find("exit 2: shard(s) 2/3 missing"), std::string::npos) << out;
  EXPECT_EQ(read_json(d, "partial/report.json")["fleet"]["missing_shards"], json::array({2}));

  std::filesystem::copy_file(d.file("shard-2/report.json"), d.file("again.json"));
  EXPECT_EQ(run({"merge", d.file("shard-1/report.json"), d.file("shard-2/report.json"),
                 d.file("again.json"), d.file("shard-3/report.json"), "--json", d.file("x.json")},
                &out, &err),
            64);
  EXPECT_NE(err.find("shard 2/3 given twice: " + d.file("shard-2/report.json") + " and " +
                     d.file("again.json")),
            std::string::npos)
      << err;
  EXPECT_FALSE(std::filesystem::exists(d.file("x.json"))) << "nothing written on a refusal";

  // Another inventory: rtr-6 with another server_name.
  std::string inv = fleet.inventory;
  inv.replace(inv.find("rtr-6.example.net"), 17, "rtr-6.example.org");
  d.write("other.ini", inv);
  ASSERT_NE(shard(2, "other.ini", "s.json", "other-2"), 64) << last;
  EXPECT_EQ(run({"merge", d.file("shard-1/report.json"), d.file("other-2/report.json"),
                 d.file("shard-3/report.json")},
                &out, &err),
            64);
  EXPECT_NE(err.find("shards of different runs: " + d.file("shard-1/report.json") +
                     " has inventory fingerprint"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(d.file("other-2/report.json") + " has "), std::string::npos) << err;

  // Another scenario: the same checks, another description.
  std::string sc = kScenario;
  sc.replace(sc.find("api-ssl answers"), 15, "api-ssl accepts");
  d.write("s2.json", sc);
  ASSERT_NE(shard(3, "hosts.ini", "s2.json", "scen-3"), 64) << last;
  EXPECT_EQ(run({"merge", d.file("shard-1/report.json"), d.file("shard-2/report.json"),
                 d.file("scen-3/report.json")},
                &out, &err),
            64);
  EXPECT_NE(err.find("scenario fingerprint"), std::string::npos) << err;
}

TEST_F(FleetE2e, LimitAndBadInventoriesSayWhatToWrite) {
  std::string out, err;
  EXPECT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--limit", "edge",
                 "--json", d.file("edge.json")},
                &out),
            1)
      << last;
  const json edge = read_json(d, "edge.json");
  ASSERT_EQ(edge["scenarios"][0]["targets"].size(), 3u);
  EXPECT_EQ(edge["scenarios"][0]["targets"][0]["name"], "rtr-4");
  EXPECT_EQ(edge["fleet"]["limit"], json::array({"edge"}));

  EXPECT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--limit", "rtr-2",
                 "--limit", "rtr-5,rtr-6", "--json", d.file("some.json")}),
            0)
      << last;
  EXPECT_EQ(read_json(d, "some.json")["counts"]["total"], 6);

  EXPECT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--limit", "egde"},
                &out, &err),
            64);
  EXPECT_NE(err.find("--limit egde: no group or target of that name"), std::string::npos) << err;
  EXPECT_NE(err.find("did you mean edge?"), std::string::npos) << err;

  d.write("spare.ini", fleet.inventory + "[spare]\n");
  EXPECT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("spare.ini"), "--limit", "spare"},
                &out, &err),
            64);
  EXPECT_NE(err.find("--limit selects no target"), std::string::npos) << err;

  EXPECT_EQ(run({"run", d.file("s.json"), "--shard", "1/3"}, &out, &err), 64);
  EXPECT_NE(err.find("add --inventory FILE"), std::string::npos) << err;

  d.write("bad.csv", "name,host,api_ssl_port\nrtr-1,127.0.0.21\n");
  EXPECT_EQ(run({"run", d.file("s.json"), "--inventory", d.file("bad.csv")}, &out, &err), 65);
  EXPECT_NE(err.find(d.file("bad.csv") + ":2:"), std::string::npos) << err;
  EXPECT_NE(err.find("this row has 2 fields, the header 3"), std::string::npos) << err;

  // A variable the target does not set and the scenario has no default for.
  d.write("noport.csv", "name,host,api_port\nrtr-1,127.0.0.21,1\n");
  EXPECT_EQ(run({"validate", d.file("s.json"), "--inventory", d.file("noport.csv")}, &out, &err),
            65);
  EXPECT_NE(err.find("variable ${api_ssl_port} has no value; pass --var api_ssl_port=VALUE or set "
                     "it for target rtr-1 in " +
                     d.file("noport.csv") + ":2"),
            std::string::npos)
      << err;

  // A near miss of a declared variable is a typo, not an extra column.
  d.write("typo.csv", "name,host,api_port,api_ssl_prot,site\nrtr-1,127.0.0.21,1,2,x\n");
  EXPECT_EQ(run({"validate", d.file("s.json"), "--inventory", d.file("typo.csv")}, &out, &err), 65);
  EXPECT_NE(err.find("variable api_ssl_prot is not a variable of this scenario"), std::string::npos)
      << err;
  EXPECT_NE(err.find("did you mean api_ssl_port?"), std::string::npos) << err;
  EXPECT_EQ(err.find("site"), std::string::npos) << "other columns are ignored: " << err;

  // The command line and the inventory disagree on a target's value.
  EXPECT_EQ(
      run({"validate", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--var", "api_port=9"},
          &out, &err),
      65);
  EXPECT_NE(err.find("--var api_port=9 and the inventory's api_port="), std::string::npos) << err;

  EXPECT_EQ(run({"validate", d.file("s.json"), "--inventory", d.file("hosts.ini")}, &out, &err), 0)
      << last;
  EXPECT_NE(out.find("ok: \"fleet reachability\" for 6 target(s)"), std::string::npos) << out;
}

TEST_F(FleetE2e, TwoScenariosFoldBackToOneResultEachInInventoryOrder) {
  std::string other = kScenario;
  other.replace(other.find("fleet reachability"), 18, "fleet reachability 2");
  d.write("t.json", other);
  ASSERT_EQ(run({"run", d.file("s.json"), d.file("t.json"), "--inventory", d.file("hosts.ini"),
                 "--json", d.file("two.json")}),
            1)
      << last;
  const json j = read_json(d, "two.json");
  ASSERT_EQ(j["scenarios"].size(), 2u) << "one per file, whatever the number of targets";
  EXPECT_EQ(j["scenarios"][0]["name"], "fleet reachability");
  EXPECT_EQ(j["scenarios"][1]["name"], "fleet reachability 2");
  std::vector<std::string> expected;
  for (const auto& t : j["fleet"]["selected"]) expected.push_back(t["name"]);
  ASSERT_EQ(expected.size(), 6u);
  for (const auto& sc : j["scenarios"]) {
    std::vector<std::string> names;
    for (const auto& t : sc["targets"]) names.push_back(t["name"]);
    EXPECT_EQ(names, expected) << sc["name"];
  }
}

TEST_F(FleetE2e, AShardWithoutTargetsExitsZeroAndStillMerges) {
  // With 6 routers and 8 shards, at least two shards are empty.
  int empty = 0;
  for (int k = 1; k <= 8 && !empty; ++k) {
    bool any = false;
    for (int i = 1; i <= 6; ++i) any = any || shard_of("rtr-" + std::to_string(i), 8) == k;
    if (!any) empty = k;
  }
  ASSERT_GT(empty, 0);
  std::vector<std::string> reports;
  for (int k = 1; k <= 8; ++k) {
    const std::string dir = d.file("s8-" + std::to_string(k));
    const int rc = run({"run", d.file("s.json"), "--inventory", d.file("hosts.ini"), "--shard",
                        std::to_string(k) + "/8", "--report-dir", dir});
    if (k == empty) {
      EXPECT_EQ(rc, 0) << last;
      EXPECT_NE(last.find("holds no target of the 6"), std::string::npos) << last;
    }
    reports.push_back(dir + "/report.json");
  }
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), reports.begin(), reports.end());
  args.push_back("--json");
  args.push_back(d.file("m8.json"));
  EXPECT_EQ(run(args), 1) << last;
  EXPECT_EQ(read_json(d, "m8.json")["counts"]["total"], 12);
}

}  // namespace
}  // namespace vantage::fleet
