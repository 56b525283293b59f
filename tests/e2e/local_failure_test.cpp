// Failures on the vantage host itself are not answers from the network: a
// source without a route, a source whose own firewall rejects (the ICMP comes
// from a local address), a neighbour that never answers ARP. Each is an error
// (exit 2) that names the cause, never "unreachable", "filtered" or a pass of
// "not-open" / "no-api".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "net/vantage_connect.hpp"
#include "tests/support/topology.hpp"

using namespace vantage::testing;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

class LocalFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_unique<Netns>("rtr");
    router_->exec("ip addr add 192.0.2.1/32 dev lo");
    listener_ = std::make_unique<TcpListener>(router_->name(), "0.0.0.0", 8729, false);
    // No route to 192.0.2.1 at all.
    noroute_ = std::make_unique<Netns>("nort");
    link(*router_, "198.51.100.1/24", *noroute_, "198.51.100.10/24");
    // A route, and the source's own OUTPUT rejects with admin-prohibited.
    selfrej_ = std::make_unique<Netns>("srej");
    link(*router_, "203.0.113.1/25", *selfrej_, "203.0.113.10/25");
    selfrej_->exec("ip route add default via 203.0.113.1");
    selfrej_->nft(R"(
table inet vantage_test {
  chain output {
    type filter hook output priority 0; policy accept;
    tcp dport 8729 reject with icmp type admin-prohibited
  }
}
)");
    // A route through a gateway that never answers ARP.
    noneigh_ = std::make_unique<Netns>("nngh");
    link(*router_, "203.0.113.129/25", *noneigh_, "203.0.113.130/25");
    noneigh_->exec("ip route add default via 203.0.113.200");
  }

  std::unique_ptr<Netns> router_, noroute_, selfrej_, noneigh_;
  std::unique_ptr<TcpListener> listener_;
};

}  // namespace

TEST_F(LocalFailure, LocalCausesAreErrorsNeverNotOpen) {
  TempDir tmp;
  const std::string from = R"("from": ["noroute", "selfreject", "noneigh"])";
  std::string checks;
  for (const std::string expect : {"not-open", "unreachable", "filtered"}) {
    checks += R"({"id": ")" + expect + R"(", "probe": "tcp", "port": 8729, )" + from +
              R"(, "expect": ")" + expect + "\"},";
  }
  checks += R"({"id": "no-api", "probe": "routeros-api", "port": 8729, "tls": false, )" + from +
            R"(, "expect": "no-api"})";
  tmp.write("s.json", R"({
    "vantage": 1, "name": "local failures",
    "target": {"host": "192.0.2.1", "name": "rtr"},
    "sources": {
      "noroute": {"netns": ")" +
                          noroute_->name() + R"("},
      "selfreject": {"netns": ")" +
                          selfrej_->name() + R"("},
      "noneigh": {"netns": ")" +
                          noneigh_->name() + R"("}
    },
    "defaults": {"timeout_ms": 5000, "attempts": 1},
    "checks": [)" + checks +
                          "]}");
  std::string out, err;
  const int rc = run_vantage(
      {"run", tmp.file("s.json"), "--json", tmp.file("r.json"), "--no-color"}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;
  const json report = json::parse(tmp.read("r.json"));
  std::map<std::string, json> r;
  for (const auto& sc : report["scenarios"])
    for (const auto& t : sc["targets"])
      for (const auto& c : t["checks"])
        r[c["id"].get<std::string>() + "/" + c["source"].get<std::string>()] = c;
  ASSERT_EQ(r.size(), 12u) << report.dump(2);
  for (const auto& [k, c] : r) {
    EXPECT_EQ(c["verdict"]["status"], "error") << k << ": " << c.dump(2);
    EXPECT_NE(c["verdict"]["observed"], "unreachable") << k;
    EXPECT_NE(c["verdict"]["observed"], "filtered") << k;
  }
  // The messages name the cause.
  EXPECT_THAT(r["not-open/noroute"]["verdict"]["message"].get<std::string>(),
              HasSubstr("no route"));
  EXPECT_THAT(r["not-open/selfreject"]["verdict"]["message"].get<std::string>(),
              HasSubstr("local address 203.0.113.10"));
  EXPECT_THAT(r["not-open/noneigh"]["verdict"]["message"].get<std::string>(), HasSubstr("local"));
  EXPECT_THAT(r["no-api/noroute"]["verdict"]["message"].get<std::string>(), HasSubstr("no route"));
  // Nothing ever reached the router's listener from these sources.
  EXPECT_EQ(listener_->accepted(), 0);
}

// The capture's self-validation expects a SYN for every connection vantage
// recorded; a local failure sent none, so it is never recorded. A connection
// that reached the network is.
TEST_F(LocalFailure, OnlyAttemptsThatLeftTheHostAreRecorded) {
  auto dst = vantage::net::SockAddr::parse("192.0.2.1", 8729);
  ASSERT_TRUE(dst);
  vantage::net::VantageOptions opt;
  opt.tcp.attempts = 1;
  auto count = [&](const std::string& netns) {
    vantage::net::SourceSpec src;
    src.name = netns;
    src.netns = netns;
    int recorded = 0;
    auto c = vantage::net::vantage_connect(
        &src, *dst, opt, vantage::Deadline::in(std::chrono::milliseconds(3000)),
        [&](const std::string&, const std::string&, std::chrono::system_clock::time_point) {
          ++recorded;
        });
    EXPECT_FALSE(c.tcp.error.empty()) << netns;
    return recorded;
  };
  EXPECT_EQ(count(noroute_->name()), 0);
  EXPECT_EQ(count(selfrej_->name()), 0);
  // From the router's own namespace the SYN reaches the listener: recorded.
  vantage::net::SourceSpec here;
  here.name = "router";
  here.netns = router_->name();
  int recorded = 0;
  auto c = vantage::net::vantage_connect(
      &here, *dst, opt, vantage::Deadline::in(std::chrono::milliseconds(3000)),
      [&](const std::string&, const std::string&, std::chrono::system_clock::time_point) {
        ++recorded;
      });
  EXPECT_TRUE(c.tcp.error.empty()) << c.tcp.error;
  EXPECT_EQ(recorded, 1);
}
