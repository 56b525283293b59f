// End-to-end: a "router" namespace and two client namespaces joined by veth
// pairs; real listeners and a real nft ruleset give every TCP outcome; the
// vantage binary probes from netns and address sources.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "tests/support/link_profile.hpp"
#include "tests/support/topology.hpp"

using namespace vantage::testing;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

class TcpTopology : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_unique<Netns>("rtr");
    mgmt_ = std::make_unique<Netns>("mgmt");
    outside_ = std::make_unique<Netns>("out");
    link(*router_, "192.0.2.1/24", *mgmt_, "192.0.2.10/24");
    link(*router_, "198.51.100.1/24", *outside_, "198.51.100.10/24");
    outside_->exec("ip route add default via 198.51.100.1");
    mgmt_->exec("ip route add default via 192.0.2.1");
    // A second mgmt address for the address-source test.
    mgmt_->exec(
        "sh -c 'ip addr add 192.0.2.11/24 dev $(ip -o link show type veth | cut -d: -f2 | cut -d@ "
        "-f1 | tr -d \" \")'");
    open_ = std::make_unique<TcpListener>(router_->name(), "0.0.0.0", 8729, false);
    refuse_ = std::make_unique<TcpListener>(router_->name(), "0.0.0.0", 8730, true);
    admin_ = std::make_unique<TcpListener>(router_->name(), "0.0.0.0", 8731, false);
    router_->nft(R"(
table inet vantage_test {
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr 198.51.100.0/24 tcp dport 8729 drop
    ip saddr 192.0.2.11 tcp dport 8729 drop
    ip saddr 198.51.100.0/24 tcp dport 8731 reject with icmp type admin-prohibited
  }
}
)");
  }

  std::string scenario(const std::string& checks) const {
    return R"({
      "vantage": 1, "name": "tcp e2e",
      "target": {"host": "192.0.2.1", "name": "rtr"},
      "sources": {
        "mgmt": {"netns": ")" +
           mgmt_->name() + R"("},
        "outside": {"netns": ")" +
           outside_->name() + R"("},
        "mgmt-a": {"netns": ")" +
           mgmt_->name() + R"(", "address": "192.0.2.10"},
        "mgmt-b": {"netns": ")" +
           mgmt_->name() + R"(", "address": "192.0.2.11"}
      },
      "defaults": {"timeout_ms": )" +
           std::to_string(link_timeout_ms(1500)) + R"(, "attempts": 1},
      "checks": [)" +
           checks + "]}";
  }

  std::unique_ptr<Netns> router_, mgmt_, outside_;
  std::unique_ptr<TcpListener> open_, refuse_, admin_;
};

std::map<std::string, json> by_check(const json& report) {
  std::map<std::string, json> out;
  for (const auto& sc : report["scenarios"])
    for (const auto& t : sc["targets"])
      for (const auto& r : t["checks"])
        out[r["id"].get<std::string>() + "/" +
            (r["source"].is_string() ? r["source"].get<std::string>() : "")] = r;
  return out;
}

}  // namespace

TEST_F(TcpTopology, AllFiveOutcomesFromNetnsSources) {
  TempDir tmp;
  tmp.write("s.json", scenario(R"(
    {"id": "open", "probe": "tcp", "port": 8729, "from": "mgmt", "expect": "open"},
    {"id": "closed", "probe": "tcp", "port": 8728, "from": "mgmt", "expect": "closed"},
    {"id": "filtered", "probe": "tcp", "port": 8729, "from": "outside", "expect": "filtered"},
    {"id": "unreachable", "probe": "tcp", "port": 8731, "from": "outside", "expect": "unreachable"},
    {"id": "refused", "probe": "tcp", "port": 8730, "from": "mgmt", "expect": "service-refused"},
    {"id": "not-open", "probe": "tcp", "port": 8729, "from": "outside", "expect": "not-open"}
  )"));
  std::string out, err;
  int rc = run_vantage({"run", tmp.file("s.json"), "--report-dir", tmp.path(), "--no-color"}, &out,
                       &err);
  EXPECT_EQ(rc, 0) << out << err;
  json report = json::parse(tmp.read("report.json"));
  auto r = by_check(report);
  ASSERT_EQ(r.size(), 6u) << report.dump(2);
  EXPECT_EQ(r["open/mgmt"]["verdict"]["observed"], "open");
  EXPECT_EQ(r["closed/mgmt"]["verdict"]["observed"], "closed");
  EXPECT_EQ(r["filtered/outside"]["verdict"]["observed"], "filtered");
  EXPECT_EQ(r["unreachable/outside"]["verdict"]["observed"], "unreachable");
  EXPECT_EQ(r["refused/mgmt"]["verdict"]["observed"], "service-refused");
  for (auto& [k, v] : r) EXPECT_EQ(v["verdict"]["status"], "pass") << k << ": " << v.dump(2);
  // The ICMP evidence: type 3 code 13 (administratively prohibited) from the router.
  const auto& icmp = r["unreachable/outside"]["observation"]["evidence"]["attempts"][0]["icmp"];
  EXPECT_EQ(icmp["type"], 3);
  EXPECT_EQ(icmp["code"], 13);
  EXPECT_EQ(icmp["from"], "192.0.2.1");  // a local reject answers from the probed address
  EXPECT_EQ(r["open/mgmt"]["observation"]["local_address"], "192.0.2.10");
  EXPECT_EQ(r["filtered/outside"]["observation"]["local_address"], "198.51.100.10");

  // The JUnit file is well-formed and has what CI consumers read.
  const std::string junit = tmp.file("report.xml");
  EXPECT_EQ(sh_status("xmllint --noout " + junit), 0);
  EXPECT_EQ(sh("xmllint --xpath 'string(/testsuites/testsuite/@tests)' " + junit), "6");
  EXPECT_EQ(sh("xmllint --xpath 'string(/testsuites/testsuite/@failures)' " + junit), "0");
  EXPECT_EQ(sh("xmllint --xpath 'count(//testcase[@name and @classname and @time])' " + junit),
            "6");
  EXPECT_NE(sh("xmllint --xpath 'string(/testsuites/testsuite/@timestamp)' " + junit), "");
}

TEST_F(TcpTopology, MismatchFailsWithExitOne) {
  TempDir tmp;
  tmp.write("s.json", scenario(R"(
    {"id": "plain-api-closed", "probe": "tcp", "port": 8729, "from": "mgmt", "expect": "not-open"},
    {"id": "ok", "probe": "tcp", "port": 8728, "from": "mgmt", "expect": "closed"}
  )"));
  std::string out, err;
  int rc = run_vantage({"run", tmp.file("s.json"), "--junit", tmp.file("j.xml"), "--no-color"},
                       &out, &err);
  EXPECT_EQ(rc, 1) << out << err;
  EXPECT_THAT(out, HasSubstr("plain-api-closed"));
  const std::string junit = tmp.file("j.xml");
  EXPECT_EQ(sh("xmllint --xpath 'string(/testsuites/testsuite/@failures)' " + junit), "1");
  EXPECT_THAT(sh("xmllint --xpath 'string(//testcase/failure/@message)' " + junit),
              HasSubstr("not-open"));
}

TEST_F(TcpTopology, AddressSourcesInOneNamespace) {
  TempDir tmp;
  tmp.write("s.json", scenario(R"(
    {"id": "from-a", "probe": "tcp", "port": 8729, "from": "mgmt-a", "expect": "open"},
    {"id": "from-b", "probe": "tcp", "port": 8729, "from": "mgmt-b", "expect": "filtered"}
  )"));
  std::string out, err;
  int rc = run_vantage({"run", tmp.file("s.json"), "--json", tmp.file("r.json")}, &out, &err);
  EXPECT_EQ(rc, 0) << out << err;
  auto r = by_check(json::parse(tmp.read("r.json")));
  EXPECT_EQ(r["from-a/mgmt-a"]["observation"]["local_address"], "192.0.2.10");
  EXPECT_EQ(r["from-b/mgmt-b"]["observation"]["local_address"], "192.0.2.11");
  EXPECT_EQ(r["from-b/mgmt-b"]["verdict"]["observed"], "filtered");
}

TEST_F(TcpTopology, BadSourceIsAnErrorNotAPass) {
  TempDir tmp;
  std::string s = scenario(R"(
    {"id": "ghost", "probe": "tcp", "port": 8729, "from": "ghost", "expect": "not-open"}
  )");
  s.replace(s.find("\"sources\": {") + 12, 0,
            "\"ghost\": {\"netns\": \"" + mgmt_->name() + "\", \"address\": \"203.0.113.99\"},");
  tmp.write("s.json", s);
  std::string out, err;
  int rc = run_vantage({"run", tmp.file("s.json"), "--json", tmp.file("r.json")}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;
  auto r = by_check(json::parse(tmp.read("r.json")));
  EXPECT_EQ(r["ghost/ghost"]["verdict"]["status"], "error");
  EXPECT_THAT(r["ghost/ghost"]["verdict"]["message"].get<std::string>(),
              HasSubstr("203.0.113.99 is not configured"));
}

TEST_F(TcpTopology, TenFilteredChecksRunConcurrently) {
  TempDir tmp;
  std::string checks;
  const int timeout = link_timeout_ms(2000);
  for (int i = 0; i < 10; ++i) {
    checks +=
        std::string(i ? "," : "") + R"({"id": "f)" + std::to_string(i) +
        R"(", "probe": "tcp", "port": 8729, "from": "outside", "expect": "filtered", "timeout_ms": )" +
        std::to_string(timeout) + "}";
  }
  tmp.write("s.json", scenario(checks));
  const auto t0 = std::chrono::steady_clock::now();
  int rc = run_vantage({"run", tmp.file("s.json"), "-q"});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(rc, 0);
  // Serially this is ten timeouts; concurrently about one.
  EXPECT_LT(secs, 6.0 + timeout / 1000.0);
}
