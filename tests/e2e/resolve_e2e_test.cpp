// Name resolution happens once per (target, source) before a check's clock
// starts, inside the source's namespace, and within a bound. The source
// namespace has its own DNS server on a loopback address that the test
// process's private resolv.conf names, so a lookup made anywhere else cannot
// see these names, and no query leaves the host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/fake_dns.hpp"
#include "tests/support/topology.hpp"

using namespace vantage::testing;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

class Resolve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { use_test_resolver(); }
  void SetUp() override {
    ns_ = std::make_unique<Netns>("dns");
    ns_->nft(R"(
table inet vantage_test {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 8728 drop
  }
}
)");
    listener_ = std::make_unique<TcpListener>(ns_->name(), "127.0.0.1", 8729, false);
    dns_ = std::make_unique<FakeDns>(
        ns_->name(), std::map<std::string, std::string>{{"vantage-slow.invalid", "127.0.0.1"}},
        std::set<std::string>{"vantage-hang.invalid"}, std::chrono::milliseconds(200));
  }

  // Runs the checks against `host` from the namespace; returns id -> result.
  std::map<std::string, json> run(const std::string& host, const std::string& checks, int* rc,
                                  double* secs = nullptr) {
    TempDir tmp;
    tmp.write("s.json", R"({
      "vantage": 1, "name": "resolve",
      "target": {"host": ")" +
                            host + R"(", "name": "rtr"},
      "sources": {"ns": {"netns": ")" +
                            ns_->name() + R"("}},
      "defaults": {"attempts": 1},
      "checks": [)" + checks +
                            "]}");
    std::string out, err;
    const auto t0 = std::chrono::steady_clock::now();
    *rc = run_vantage({"run", tmp.file("s.json"), "--json", tmp.file("r.json"), "--no-color"}, &out,
                      &err);
    if (secs) *secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::map<std::string, json> r;
    const json report = json::parse(tmp.read("r.json"));
    for (const auto& sc : report["scenarios"])
      for (const auto& t : sc["targets"])
        for (const auto& c : t["checks"]) r[c["id"].get<std::string>()] = c;
    return r;
  }

  std::unique_ptr<Netns> ns_;
  std::unique_ptr<TcpListener> listener_;
  std::unique_ptr<FakeDns> dns_;
};

}  // namespace

TEST_F(Resolve, NameResolvesInTheSourceNamespaceBeforeTheClockStarts) {
  int rc = -1;
  // The DNS answer takes 200 ms. A silent port needs its SYN to wait at least
  // the minimum; with the lookup inside the 300 ms deadline only 100 ms would
  // be left and the check could not call the port filtered.
  auto r = run("vantage-slow.invalid", R"(
    {"id": "open", "probe": "tcp", "port": 8729, "from": "ns", "expect": "open", "timeout_ms": 1000},
    {"id": "filtered", "probe": "tcp", "port": 8728, "from": "ns", "expect": "filtered",
     "timeout_ms": 300}
  )",
               &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(r["open"]["verdict"]["status"], "pass") << r["open"].dump(2);
  EXPECT_EQ(r["filtered"]["verdict"]["status"], "pass") << r["filtered"].dump(2);
  EXPECT_EQ(r["open"]["observation"]["evidence"]["remote"], "127.0.0.1:8729");
  EXPECT_GE(dns_->queries(), 1);
}

TEST_F(Resolve, AHangingLookupEndsWithinItsBoundAsAnError) {
  int rc = -1;
  double secs = 0;
  auto r = run("vantage-hang.invalid", R"(
    {"id": "not-open", "probe": "tcp", "port": 8729, "from": "ns", "expect": "not-open",
     "timeout_ms": 800},
    {"id": "no-api", "probe": "routeros-api", "port": 8729, "tls": false, "from": "ns",
     "expect": "no-api", "timeout_ms": 800}
  )",
               &rc, &secs);
  EXPECT_EQ(rc, 2);
  // glibc alone would wait 5 s per try; the bound is min(5 s, timeout).
  EXPECT_LT(secs, 3.0);
  for (const char* id : {"not-open", "no-api"}) {
    EXPECT_EQ(r[id]["verdict"]["status"], "error") << r[id].dump(2);
    EXPECT_THAT(r[id]["verdict"]["message"].get<std::string>(), HasSubstr("vantage-hang.invalid"));
  }
  EXPECT_GE(dns_->queries(), 1);
}

TEST_F(Resolve, AnUnknownNameIsAnErrorNamingIt) {
  int rc = -1;
  auto r = run("vantage-nx.invalid", R"(
    {"id": "not-open", "probe": "tcp", "port": 8729, "from": "ns", "expect": "not-open",
     "timeout_ms": 1000}
  )",
               &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(r["not-open"]["verdict"]["status"], "error");
  EXPECT_THAT(r["not-open"]["verdict"]["message"].get<std::string>(),
              HasSubstr("vantage-nx.invalid"));
}

TEST_F(Resolve, LocalhostAndLiteralsNeedNoDns) {
  int rc = -1;
  auto r = run("127.0.0.1", R"(
    {"id": "open", "probe": "tcp", "port": 8729, "from": "ns", "expect": "open", "timeout_ms": 1000}
  )",
               &rc);
  EXPECT_EQ(rc, 0) << r["open"].dump(2);
  r = run("localhost", R"(
    {"id": "open", "probe": "tcp", "port": 8729, "from": "ns", "expect": "open", "timeout_ms": 1000}
  )",
          &rc);
  EXPECT_EQ(rc, 0) << r["open"].dump(2);
  EXPECT_EQ(r["open"]["observation"]["evidence"]["remote"], "127.0.0.1:8729");
  EXPECT_EQ(dns_->queries(), 0);  // a literal never, and /etc/hosts answers localhost
}
