// The routeros-state judges on router state as RouterOS prints it: the
// hardened configuration passes, and each misconfiguration of the issue's
// matrix gives exactly its finding, with the RouterOS command that fixes it.
#include <gtest/gtest.h>

#include "probes/routeros_state/routeros_state_probe.hpp"

namespace vantage::probes {
namespace {

RouterosStateSpec spec() {
  RouterosStateSpec s;
  s.mgmt_range = "198.51.100.0/24";
  s.min_version = "7.16";
  LoginSpec l;
  l.user = "audit";
  s.credentials = l;
  return s;
}

void set(RouterState& st, const std::string& path, std::vector<Row> rows) {
  st.menus[path] = Menu{std::move(rows), true};
}

// The hardened router of the demo, as /print shows it.
RouterState hardened() {
  RouterState st;
  set(st, "/ip/service",
      {{{"name", "api"}, {"port", "8728"}, {"disabled", "true"}},
       {{"name", "telnet"}, {"port", "23"}, {"disabled", "true"}},
       {{"name", "api-ssl"},
        {"port", "8729"},
        {"disabled", "false"},
        {"address", "198.51.100.0/24"},
        {"certificate", "api-cert"},
        {"tls-version", "only-1.2"},
        {"max-sessions", "5"}}});
  set(st, "/user",
      {{{"name", "audit"}, {"group", "api-read"}, {"address", "198.51.100.0/24"}},
       {{"name", "ops"},
        {"group", "full"},
        {"address", "198.51.100.10"},
        {"last-logged-in", "2099-01-01 00:00:00"}}});
  set(st, "/user/group",
      {{{"name", "api-read"}, {"policy", "read,api,!write,!policy,!sensitive"}},
       {{"name", "full"}, {"policy", "read,write,api,policy,sensitive"}}});
  set(st, "/ip/firewall/filter",
      {{{".id", "*1"},
        {"chain", "input"},
        {"action", "accept"},
        {"protocol", "tcp"},
        {"dst-port", "8728,8729"},
        {"src-address-list", "mgmt"}},
       {{".id", "*2"},
        {"chain", "input"},
        {"action", "drop"},
        {"protocol", "tcp"},
        {"dst-port", "8728,8729"},
        {"log", "true"},
        {"log-prefix", "DROP API: "}}});
  set(st, "/ip/firewall/address-list", {{{"list", "mgmt"}, {"address", "198.51.100.0/24"}}});
  set(st, "/certificate", {{{"name", "api-cert"}, {"fingerprint", "AB:CD"}}});
  st.wire_sha256 = "abcd";
  set(st, "/system/resource", {{{"version", "7.16.2 (stable)"}}});
  return st;
}

// Only the findings that fail the check.
std::vector<Finding> failing(std::vector<Finding> f) {
  std::erase_if(f, [](const Finding& x) { return x.info; });
  return f;
}

TEST(StateJudge, HardenedRouterHasNoFailingFinding) {
  const auto s = spec();
  const auto st = hardened();
  EXPECT_TRUE(failing(judge_services(s, st)).empty());
  EXPECT_TRUE(failing(judge_users(s, st, "audit")).empty());
  EXPECT_TRUE(failing(judge_firewall(s, st)).empty());
  EXPECT_TRUE(failing(judge_certificate(s, st)).empty());
  EXPECT_TRUE(failing(judge_version(s, st)).empty());
  // The default port and the full-group account are reported, never failed.
  EXPECT_EQ(judge_services(s, st).size(), 1u);
  EXPECT_EQ(judge_users(s, st, "audit").size(), 1u);
}

// Numbers from the router are read bounded (F11, found by fuzzing in the
// lab's copy of this parser): a value atoi() wrapped into something small
// passed the max-sessions bound; one that does not read is a finding; a
// version part beyond any RouterOS release is no version (no overflow).
TEST(StateJudge, NumbersThatDoNotReadNeverPass) {
  for (const char* ms : {"4294967297", "99999999999999999999", "-1", "5 ", "unlimited"}) {
    auto st = hardened();
    st.menus["/ip/service"].rows[2]["max-sessions"] = ms;
    auto f = failing(judge_services(spec(), st));
    ASSERT_EQ(f.size(), 1u) << ms;
    EXPECT_EQ(f[0].item, "max-sessions") << ms;
  }
  EXPECT_EQ(compare_versions("77777777777777777777.1", "7.1"), std::nullopt);
  EXPECT_EQ(compare_versions("7.16rc99999999999999999999", "7.16"), std::nullopt);
  EXPECT_EQ(compare_versions("7.16rc", "7.16"), -1);
  // An address-list entry whose prefix does not read is within nothing.
  EXPECT_FALSE(all_within("198.51.100.0/99999999999999999999", "198.51.100.0/24"));
  EXPECT_FALSE(all_within("198.51.100.0/24", "198.51.100.0/x"));
}

TEST(StateJudge, DropRuleWithoutLog) {
  auto st = hardened();
  st.menus["/ip/firewall/filter"].rows[1]["log"] = "false";
  auto f = failing(judge_firewall(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].text.find("does not log"), std::string::npos);
  EXPECT_EQ(f[0].fix, "/ip firewall filter set *2 log=yes log-prefix=\"DROP API: \"");
}

TEST(StateJudge, GuidesUnconditionalLogRule) {
  auto st = hardened();
  st.menus["/ip/firewall/filter"].rows.insert(
      st.menus["/ip/firewall/filter"].rows.begin() + 1,
      Row{{".id", "*9"}, {"chain", "input"}, {"action", "log"}, {"log-prefix", "DROP API: "}});
  auto f = failing(judge_firewall(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].text.find("logs every input packet"), std::string::npos);
  EXPECT_NE(f[0].fix.find("/ip firewall filter remove *9"), std::string::npos);
}

TEST(StateJudge, DropBeforeAccept) {
  auto st = hardened();
  auto& r = st.menus["/ip/firewall/filter"].rows;
  std::swap(r[0], r[1]);
  auto f = failing(judge_firewall(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].text.find("comes before"), std::string::npos);
  EXPECT_EQ(f[0].fix, "/ip firewall filter move *1 destination=*2");
}

TEST(StateJudge, AuditGroupWithWrite) {
  auto st = hardened();
  st.menus["/user/group"].rows[0]["policy"] = "read,write,api";
  auto f = failing(judge_users(spec(), st, "audit"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].text.find("has write"), std::string::npos);
  EXPECT_EQ(f[0].fix, "/user group set api-read policy=read,api");
}

TEST(StateJudge, UsersWithoutAddressDefaultAdminAndInactive) {
  auto st = hardened();
  st.menus["/user"].rows.push_back(
      {{"name", "admin"}, {"group", "full"}, {"last-logged-in", "2001-01-01 00:00:00"}});
  auto f = failing(judge_users(spec(), st, "audit"));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].fix, "/user set admin address=198.51.100.0/24");
  EXPECT_EQ(f[1].fix, "/user disable admin (after adding a named full account)");
  EXPECT_EQ(f[2].fix, "/user disable admin");
}

TEST(StateJudge, CertificateDiffersFromTheOneServed) {
  auto st = hardened();
  st.wire_sha256 = "ef01";
  auto f = failing(judge_certificate(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].text.find("abcd"), std::string::npos);  // the router's side
  EXPECT_NE(f[0].text.find("ef01"), std::string::npos);  // the wire's side
}

TEST(StateJudge, OldVersion) {
  auto st = hardened();
  st.menus["/system/resource"].rows[0]["version"] = "6.48.6 (long-term)";
  auto f = failing(judge_version(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].fix.find("/system package update install"), std::string::npos);
}

TEST(StateJudge, AddressListAdmitsMoreThanTheRange) {
  auto st = hardened();
  st.menus["/ip/firewall/address-list"].rows.push_back(
      {{"list", "mgmt"}, {"address", "0.0.0.0/0"}});
  auto f = failing(judge_firewall(spec(), st));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fix, "/ip firewall address-list remove [find list=mgmt address=0.0.0.0/0]");
}

TEST(StateJudge, ServicesEnabledAndWeakApiSsl) {
  auto st = hardened();
  auto& svc = st.menus["/ip/service"].rows;
  svc[0]["disabled"] = "false";
  svc[2]["tls-version"] = "any";
  svc[2]["address"] = "";
  auto f = failing(judge_services(spec(), st));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].fix, "/ip service disable api");
  EXPECT_EQ(f[1].fix, "/ip service set api-ssl address=198.51.100.0/24");
  EXPECT_EQ(f[2].fix, "/ip service set api-ssl tls-version=only-1.2");
  // Records, not only sentences: what kind, about what.
  EXPECT_EQ(f[0].kind, "enabled service");
  EXPECT_EQ(f[0].item, "api");
  EXPECT_EQ(f[1].kind, "api-ssl setting");
  EXPECT_EQ(f[1].item, "address");
  EXPECT_EQ(f[2].item, "tls-version");
}

TEST(StateJudge, AdviceIsInfoOnePerAccount) {
  auto st = hardened();
  st.menus["/user"].rows.push_back({{"name", "ops2"},
                                    {"group", "full"},
                                    {"address", "198.51.100.11"},
                                    {"last-logged-in", "2099-01-01 00:00:00"}});
  auto f = judge_users(spec(), st, "audit");
  ASSERT_EQ(f.size(), 2u);
  for (const auto& x : f) {
    EXPECT_TRUE(x.info) << x.text;
    EXPECT_EQ(x.kind, "account in group full");
  }
  EXPECT_EQ(f[0].item, "ops");
  EXPECT_EQ(f[1].item, "ops2");
  EXPECT_EQ(f[1].fix, "/user set ops2 group=<narrower group>");
  const auto svc = judge_services(spec(), hardened());
  ASSERT_EQ(svc.size(), 1u);
  EXPECT_TRUE(svc[0].info);
  EXPECT_EQ(svc[0].item, "port");
}

TEST(StateJudge, InactiveUserSaysDaysInWords) {
  auto st = hardened();
  st.menus["/user"].rows[1]["last-logged-in"] = "2001-01-01 00:00:00";
  auto f = failing(judge_users(spec(), st, "audit"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "inactive user");
  EXPECT_EQ(f[0].item, "ops");
  EXPECT_NE(f[0].text.find(" days ago (2001-01-01 00:00:00)"), std::string::npos) << f[0].text;
}

// The verdict carries every finding as a record (the reports print, count and
// list them), advice included; the count in "observed" is in words.
TEST(StateJudge, VerdictCarriesTheRecords) {
  auto s = spec();
  s.aspect = Aspect::kServices;
  s.expect_word = "services";
  StateObservation obs;
  obs.state = hardened();
  auto pass = s.judge(obs);
  EXPECT_EQ(pass.status, Status::kPass) << pass.message;
  ASSERT_EQ(pass.findings.size(), 1u);  // the default port: advice on a pass
  EXPECT_TRUE(pass.findings[0].info);

  obs.state.menus["/ip/service"].rows[1]["disabled"] = "false";  // telnet on
  auto one = s.judge(obs);
  EXPECT_EQ(one.status, Status::kFail);
  EXPECT_EQ(one.observed, "1 finding");
  ASSERT_EQ(one.findings.size(), 2u);
  EXPECT_EQ(one.findings[0].kind, "enabled service");
  EXPECT_EQ(one.findings[0].item, "telnet");
  EXPECT_EQ(one.findings[0].fix, "/ip service disable telnet");
  EXPECT_FALSE(one.findings[0].info);
  EXPECT_TRUE(one.findings[1].info);

  obs.state.menus["/ip/service"].rows[0]["disabled"] = "false";  // api on too
  EXPECT_EQ(s.judge(obs).observed, "2 findings");
}

TEST(StateUtil, PrefixesVersionsAndTimes) {
  EXPECT_TRUE(in_prefix("198.51.100.7", "198.51.100.0/24"));
  EXPECT_FALSE(in_prefix("203.0.113.7", "198.51.100.0/24"));
  EXPECT_FALSE(all_within("198.51.100.0/23", "198.51.100.0/24"));
  EXPECT_TRUE(all_within("198.51.100.10,198.51.100.128/25", "198.51.100.0/24"));
  EXPECT_EQ(compare_versions("7.16rc2", "7.16"), -1);
  EXPECT_EQ(compare_versions("7.16.2 (stable)", "7.16"), 1);
  EXPECT_EQ(router_time("2026-12-02", "00:00:00", "+01:00"),
            router_time("dec/01/2026", "23:00:00", "+00:00"));
  EXPECT_EQ(log_time("10:00:00", "2026-12-02", ""), router_time("2026-12-02", "10:00:00", ""));
  EXPECT_EQ(log_time("dec/02 10:00:00", "2026-12-02", ""),
            router_time("2026-12-02", "10:00:00", ""));
}

}  // namespace
}  // namespace vantage::probes
