// A firewall reject seen across a link with latency: the router drops each
// SYN to two ports in nft and answers it ~200 ms later with an ICMP
// destination unreachable (3/13 administratively prohibited, 3/3 port
// unreachable) from its own address. vantage must call both "unreachable":
// never "open", and never a "restricted (close)" API service.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/icmp_responder.hpp"
#include "tests/support/topology.hpp"

using namespace vantage::testing;
using nlohmann::json;

namespace {

constexpr int kAdmin = 8729;  // answered with 3/13
constexpr int kPort = 8728;   // answered with 3/3

class DelayedIcmp : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_unique<Netns>("rtr");
    client_ = std::make_unique<Netns>("cli");
    link(*router_, "198.51.100.1/24", *client_, "198.51.100.10/24");
    router_->nft(R"(
table inet vantage_test {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport { 8728, 8729 } drop
  }
}
)");
    icmp_ = std::make_unique<DelayedIcmpResponder>(
        router_->name(), std::map<std::uint16_t, int>{{kAdmin, 13}, {kPort, 3}},
        std::chrono::milliseconds(200));
  }

  std::map<std::string, json> run(const std::string& checks, int* rc) {
    TempDir tmp;
    tmp.write("s.json", R"({
      "vantage": 1, "name": "delayed icmp",
      "target": {"host": "198.51.100.1", "name": "rtr"},
      "sources": {"cli": {"netns": ")" +
                            client_->name() + R"("}},
      "defaults": {"timeout_ms": 1500, "attempts": 1},
      "checks": [)" + checks +
                            "]}");
    std::string out, err;
    *rc = run_vantage({"run", tmp.file("s.json"), "--json", tmp.file("r.json"), "--no-color"}, &out,
                      &err);
    std::map<std::string, json> r;
    const json report = json::parse(tmp.read("r.json"));
    for (const auto& sc : report["scenarios"])
      for (const auto& t : sc["targets"])
        for (const auto& c : t["checks"]) r[c["id"].get<std::string>()] = c;
    return r;
  }

  std::unique_ptr<Netns> router_, client_;
  std::unique_ptr<DelayedIcmpResponder> icmp_;
};

}  // namespace

TEST_F(DelayedIcmp, LateIcmpRejectIsUnreachableNeverOpen) {
  int rc = -1;
  auto r = run(R"(
    {"id": "admin-open", "probe": "tcp", "port": 8729, "from": "cli", "expect": "open"},
    {"id": "admin-not-open", "probe": "tcp", "port": 8729, "from": "cli", "expect": "not-open"},
    {"id": "admin-unreachable", "probe": "tcp", "port": 8729, "from": "cli", "expect": "unreachable"},
    {"id": "port-open", "probe": "tcp", "port": 8728, "from": "cli", "expect": "open"},
    {"id": "port-unreachable", "probe": "tcp", "port": 8728, "from": "cli", "expect": "unreachable"}
  )",
               &rc);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(rc, 1);  // the two "open" checks fail; nothing errors
  for (const char* id : {"admin-open", "port-open"}) {
    EXPECT_EQ(r[id]["verdict"]["status"], "fail") << r[id].dump(2);
    EXPECT_EQ(r[id]["verdict"]["observed"], "unreachable") << r[id].dump(2);
  }
  for (const char* id : {"admin-not-open", "admin-unreachable", "port-unreachable"})
    EXPECT_EQ(r[id]["verdict"]["status"], "pass") << r[id].dump(2);
  const auto& admin = r["admin-unreachable"]["observation"]["evidence"]["attempts"][0];
  EXPECT_EQ(admin["icmp"]["type"], 3) << admin.dump(2);
  EXPECT_EQ(admin["icmp"]["code"], 13) << admin.dump(2);
  EXPECT_EQ(admin["icmp"]["from"], "198.51.100.1");
  EXPECT_GE(admin["rtt_ms"].get<double>(), 150.0);  // the ICMP really came late
  const auto& port = r["port-unreachable"]["observation"]["evidence"]["attempts"][0];
  EXPECT_EQ(port["icmp"]["type"], 3) << port.dump(2);
  EXPECT_EQ(port["icmp"]["code"], 3) << port.dump(2);
  EXPECT_GE(icmp_->sent(), 5);
}

TEST_F(DelayedIcmp, LateIcmpRejectIsNotARestrictedApiService) {
  int rc = -1;
  auto r = run(R"(
    {"id": "ssl-restricted", "probe": "routeros-api", "port": 8729, "tls": true, "from": "cli",
     "expect": "restricted"},
    {"id": "plain-restricted", "probe": "routeros-api", "port": 8728, "tls": false, "from": "cli",
     "expect": "restricted"}
  )",
               &rc);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NE(rc, 0);
  for (const char* id : {"ssl-restricted", "plain-restricted"}) {
    EXPECT_NE(r[id]["verdict"]["status"], "pass") << r[id].dump(2);
    EXPECT_THAT(r[id]["verdict"]["observed"].get<std::string>(),
                ::testing::Not(::testing::HasSubstr("restricted")))
        << r[id].dump(2);
  }
}
