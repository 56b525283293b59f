// The state menus over a real API conversation on loopback (routeros::Channel):
// /system/clock (with skew), /system/package/update, /ip/firewall/filter,
// /ip/firewall/address-list, /certificate, /user's last-logged-in, the
// permission trap for a read-only group, the bounded log, and the nft
// ruleset the same config implies.
#include <gtest/gtest.h>

#include <ctime>
#include <regex>

#include "api_client.hpp"
#include "lab/nft.hpp"
#include "lab/router.hpp"
#include "lab_fixture.hpp"
#include "routeros/facts.hpp"

namespace vantage::lab {
namespace {

using routeros::Sentence;
using testing::ApiClient;

LabConfig state_config() {
  LabConfig c = testing::base_config();
  c.version = "7.21";
  c.system.board_name = "RB5009UG+S+";
  c.system.latest_version = "7.22";
  c.address_list = {{"mgmt", *Prefix::parse("192.0.2.0/24"), "", false}};
  FilterRule accept;
  accept.action = "accept";
  accept.protocol = "tcp";
  accept.dst_port = "8728,8729";
  accept.src_address_list = "mgmt";
  FilterRule drop;
  drop.action = "drop";
  drop.protocol = "tcp";
  drop.dst_port = "8728,8729";
  drop.log = true;
  drop.log_prefix = "DROP API: ";
  c.filter = {accept, drop};
  c.services["api-ssl"] = testing::tls_service("api-ssl", Certificate::Kind::kSelfSigned);
  return c;
}

// Rows of a print (the !re sentences) as attribute maps.
std::vector<std::map<std::string, std::string>> print(ApiClient& c, const std::string& menu) {
  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& s : c.call(Sentence{menu + "/print"})) {
    if (s.words.empty() || s.words[0] != "!re") continue;
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : s.attrs()) m[k] = v;
    rows.push_back(std::move(m));
  }
  return rows;
}

std::time_t parse_iso(const std::string& date, const std::string& time) {
  std::tm tm{};
  EXPECT_TRUE(strptime((date + " " + time).c_str(), "%Y-%m-%d %H:%M:%S", &tm)) << date << time;
  return timegm(&tm);
}

TEST(StateMenus, ResourceAndPackageUpdate) {
  Router r(state_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto res = print(c, "/system/resource");
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0]["board-name"], "RB5009UG+S+");
  EXPECT_EQ(res[0]["version"], "7.21 (stable)");
  EXPECT_FALSE(res[0]["uptime"].empty());
  auto up = print(c, "/system/package/update");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0]["installed-version"], "7.21");
  EXPECT_EQ(up[0]["latest-version"], "7.22");
  EXPECT_EQ(up[0]["status"], "New version is available");
}

// The clock a probe measures skew from: the config's skew, both ways.
TEST(StateMenus, ClockIsSkewedAsConfigured) {
  for (int skew : {0, 90, -90}) {
    auto cfg = state_config();
    cfg.system.clock_skew = std::chrono::seconds(skew);
    Router r(cfg);
    r.start();
    ApiClient c;
    ASSERT_TRUE(c.connect(r.port("api")));
    ASSERT_TRUE(c.login("audit", "auditpw"));
    auto clock = print(c, "/system/clock");
    const std::time_t host = std::time(nullptr);
    ASSERT_EQ(clock.size(), 1u);
    EXPECT_EQ(clock[0]["time-zone-name"], "manual");
    const long measured = static_cast<long>(parse_iso(clock[0]["date"], clock[0]["time"]) - host);
    EXPECT_NEAR(measured, skew, 2) << "skew " << skew;
    // The log's times run on the same clock.
    auto log = print(c, "/log");
    ASSERT_FALSE(log.empty());
    const std::string t = log.back()["time"];
    EXPECT_NEAR(static_cast<long>(parse_iso(t.substr(0, 10), t.substr(11)) - host), skew, 2) << t;
  }
}

TEST(StateMenus, OldVersionPrintsOldDates) {
  auto cfg = state_config();
  cfg.version = "6.48.6";
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto clock = print(c, "/system/clock");
  ASSERT_EQ(clock.size(), 1u);
  EXPECT_TRUE(std::regex_match(clock[0]["date"], std::regex("[a-z]{3}/[0-9]{2}/[0-9]{4}")))
      << clock[0]["date"];
  EXPECT_EQ(print(c, "/system/package/update")[0]["installed-version"], "6.48.6");
}

TEST(StateMenus, FirewallAndAddressListInOrder) {
  Router r(state_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto f = print(c, "/ip/firewall/filter");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0][".id"], "*1");
  EXPECT_EQ(f[0]["action"], "accept");
  EXPECT_EQ(f[0]["src-address-list"], "mgmt");
  EXPECT_EQ(f[0]["dst-port"], "8728,8729");
  EXPECT_EQ(f[0].count("src-address"), 0u);  // unset match attributes are left out
  EXPECT_EQ(f[1][".id"], "*2");
  EXPECT_EQ(f[1]["action"], "drop");
  EXPECT_EQ(f[1]["log"], "true");
  EXPECT_EQ(f[1]["log-prefix"], "DROP API: ");
  EXPECT_EQ(f[1]["chain"], "input");
  auto al = print(c, "/ip/firewall/address-list");
  ASSERT_EQ(al.size(), 1u);
  EXPECT_EQ(al[0]["list"], "mgmt");
  EXPECT_EQ(al[0]["address"], "192.0.2.0/24");
}

TEST(StateMenus, CertificateServedAndOverridden) {
  auto cfg = state_config();
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto svc = print(c, "/ip/service");
  std::string assigned;
  for (auto& s : svc)
    if (s["name"] == "api-ssl") assigned = s["certificate"];
  ASSERT_EQ(assigned, "lab-api-ssl");
  auto certs = print(c, "/certificate");
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(certs[0]["name"], assigned);
  const std::string served = certs[0]["fingerprint"];
  EXPECT_TRUE(std::regex_match(served, std::regex("[0-9a-f]{64}"))) << served;
  const std::string after = certs[0]["invalid-after"];
  const std::time_t expiry = parse_iso(after.substr(0, 10), after.substr(11));
  EXPECT_NEAR(static_cast<double>(expiry - std::time(nullptr)) / 86400, 365, 2);

  // A record that differs from what is served: the config's fingerprint wins.
  cfg.certificates = {{"lab-api-ssl", "", std::string(64, 'a'), ""}};
  Router r2(cfg);
  r2.start();
  ApiClient c2;
  ASSERT_TRUE(c2.connect(r2.port("api")));
  ASSERT_TRUE(c2.login("audit", "auditpw"));
  auto certs2 = print(c2, "/certificate");
  ASSERT_EQ(certs2.size(), 1u);
  EXPECT_EQ(certs2[0]["fingerprint"], std::string(64, 'a'));
  EXPECT_FALSE(certs2[0]["invalid-after"].empty());  // the served one's expiry is kept
}

TEST(StateMenus, UsersGroupsAndLastLogin) {
  auto cfg = state_config();
  cfg.users[0].address = {*Prefix::parse("192.0.2.0/24")};
  cfg.last_logged_in["admin"] = "2026-01-02 03:04:05";
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto users = print(c, "/user");
  std::map<std::string, std::map<std::string, std::string>> by;
  for (auto& u : users) by[u["name"]] = u;
  EXPECT_EQ(by["admin"]["address"], "192.0.2.0/24");
  EXPECT_EQ(by["admin"]["last-logged-in"], "2026-01-02 03:04:05");
  EXPECT_EQ(by["console"].count("last-logged-in"), 0u);  // never logged in
  EXPECT_EQ(by["audit"]["last-logged-in"].size(), 19u);  // this login, router time
  auto groups = print(c, "/user/group");
  std::string audit_policy;
  for (auto& g : groups)
    if (g["name"] == "audit") audit_policy = g["policy"];
  EXPECT_NE(audit_policy.find(",read,"), std::string::npos) << audit_policy;
  EXPECT_NE(audit_policy.find("!write"), std::string::npos) << audit_policy;
}

TEST(StateMenus, ReadOnlyGroupGetsPermissionTrapOnWrite) {
  Router r(state_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto rep = c.call(Sentence{"/system/identity/set", "=name=pwned"});
  ASSERT_FALSE(rep.empty());
  EXPECT_EQ(rep[0].words[0], "!trap");
  EXPECT_NE(rep[0].attr("message").value_or("").find(routeros::kNotEnoughPermissions),
            std::string::npos);
  EXPECT_EQ(r.identity(), "lab-rtr");
  for (const std::string cmd : {"/ip/firewall/filter/add", "/user/remove", "/certificate/set"}) {
    auto w = c.call(Sentence{cmd, "=numbers=*1"});
    ASSERT_FALSE(w.empty()) << cmd;
    EXPECT_EQ(w[0].words[0], "!trap") << cmd;
    EXPECT_NE(w[0].attr("message").value_or("").find(routeros::kNotEnoughPermissions),
              std::string::npos)
        << cmd;
  }
  EXPECT_EQ(print(c, "/ip/firewall/filter").size(), 2u);
}

TEST(StateMenus, LogIsBounded) {
  auto cfg = state_config();
  cfg.limits.log_size = 5;
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(c.login("audit", "wrong"));
  ASSERT_TRUE(c.login("audit", "auditpw"));
  auto log = print(c, "/log");
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log.back()["message"], "user audit logged in from 127.0.0.1 via api");
  EXPECT_EQ(log.front()["message"], "login failure for user audit from 127.0.0.1 via api");
  EXPECT_EQ(log.front()[".id"], "*5");  // the oldest four fell off the ring
}

TEST(StateMenus, NftRulesetFollowsTheConfig) {
  auto cfg = state_config();
  cfg.nflog_group = 7;  // not started here: binding a group needs CAP_NET_ADMIN
  const std::string nft = nft_ruleset(cfg);
  EXPECT_NE(nft.find("set mgmt {"), std::string::npos) << nft;
  EXPECT_NE(nft.find("elements = { 192.0.2.0/24 }"), std::string::npos) << nft;
  const auto a = nft.find("ip saddr @mgmt tcp dport { 8728, 8729 } accept");
  const auto d = nft.find("tcp dport { 8728, 8729 } log prefix \"DROP API: \" group 7 drop");
  ASSERT_NE(a, std::string::npos) << nft;
  ASSERT_NE(d, std::string::npos) << nft;
  EXPECT_LT(a, d);  // first match wins: the order is the config's
  auto unlogged = state_config();
  unlogged.filter[1].log = false;
  EXPECT_EQ(nft_ruleset(unlogged).find("log"), std::string::npos);
}

}  // namespace
}  // namespace vantage::lab
