// The router's own log against the run, end to end, on every link profile:
// the shipped hardening and router-state scenarios run together against the
// emulated RouterOS (lab_topology.hpp) whose nft firewall logs its drops over
// NFLOG into the lab's /log. Every API connection the run made from outside
// the management range must be found there as a drop, with the router's
// clock on time or 90 s off either way; a drop rule that does not log fails
// the correlation, naming the connection it could not find.
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/e2e/lab_topology.hpp"

using namespace vantage::testing;
using nlohmann::json;

namespace {

struct Row {
  std::string name;
  std::function<void(json& lab)> configure;
  bool correlation_passes;
  std::string words;  // in the correlation's message
  // The other router-* checks that fail -> words their message must contain.
  std::map<std::string, std::string> failing = {};
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.name;
}

class RouterStateE2e : public ::testing::TestWithParam<Row> {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TempDir();
    sh(std::string(VANTAGE_SOURCE_DIR) + "/tests/e2e/make_hardening_certs.sh " + certs_->path());
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }
  static TempDir* certs_;
};
TempDir* RouterStateE2e::certs_ = nullptr;

// The guide's accounts: each restricted to the management range, the default
// admin disabled, the one full account recently used.
json hardened_users() {
  const std::time_t yesterday = std::time(nullptr) - 86400;
  std::tm tm{};
  ::gmtime_r(&yesterday, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  return json::array({{{"name", "audit"},
                       {"group", "audit"},
                       {"password", kAuditPassword},
                       {"address", {"192.0.2.0/24"}}},
                      {{"name", "admin"},
                       {"group", "full"},
                       {"password", kAdminPassword},
                       {"disabled", true},
                       {"address", {"192.0.2.10/32"}}},
                      {{"name", "ops"},
                       {"group", "full"},
                       {"password", kLegitPassword},
                       {"address", {"192.0.2.10/32"}},
                       {"last-logged-in", when}}});
}

const json* find_check(const json& report, const std::string& id) {
  for (const auto& s : report["scenarios"])
    for (const auto& t : s["targets"])
      for (const auto& c : t["checks"])
        if (c["id"] == id) return &c;
  return nullptr;
}

}  // namespace

TEST_P(RouterStateE2e, LogCorrelation) {
  const Row& row = GetParam();
  LabTopology topo;
  json lab = hardened_lab(certs_->path(), "good");
  lab["firewall"]["nflog-group"] = 7;  // the drops reach the lab's /log
  lab["users"] = hardened_users();
  row.configure(lab);
  topo.start(lab);
  std::string out, err;
  const int rc = topo.run({"routeros-api-hardening.json", "routeros-router-state.json"},
                          certs_->path(), {"mgmt_range=192.0.2.0/24"}, &out, &err);
  const std::string diag = topo.diag(out, err);
  ASSERT_TRUE(rc == 0 || rc == 1) << "exit " << rc << diag;
  const json report = topo.report();
  const json* c = find_check(report, "router-log-correlation");
  ASSERT_NE(c, nullptr) << diag;
  const std::string status = (*c)["verdict"]["status"];
  const std::string message = (*c)["verdict"]["message"];
  EXPECT_EQ(status, row.correlation_passes ? "pass" : "fail") << message << diag;
  EXPECT_TRUE(std::regex_search(message, std::regex(row.words))) << message;
  // The outside checks ran, so the log had something to show.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(message, m,
                                std::regex(R"(\[(\d+) of (\d+) API connections? from outside)")))
      << message;
  EXPECT_GE(std::stoi(m[2]), 1) << message;
  if (row.correlation_passes) {
    EXPECT_EQ(m[1], m[2]) << message;
  }
  // No check of either scenario is an error on any link; the router's own
  // view fails exactly where this row breaks it, each naming the cause.
  std::map<std::string, std::string> failing;
  for (const auto& s : report["scenarios"])
    for (const auto& t : s["targets"])
      for (const auto& x : t["checks"]) {
        const std::string id = x["id"], st = x["verdict"]["status"];
        EXPECT_NE(st, "error") << id << ": " << x["verdict"]["message"];
        if (id.rfind("router-", 0) == 0 && id != "router-log-correlation" && st != "pass")
          failing[id] = x["verdict"]["message"];
      }
  std::set<std::string> got, want;
  for (const auto& [id, msg] : failing) got.insert(id);
  for (const auto& [id, words] : row.failing) {
    want.insert(id);
    if (failing.count(id)) {
      EXPECT_NE(failing[id].find(words), std::string::npos) << id << ": " << failing[id];
    }
  }
  EXPECT_EQ(got, want) << ::testing::PrintToString(failing);
  for (const auto& pw : {kAuditPassword, kAdminPassword, kLegitPassword})
    EXPECT_EQ(out.find(pw), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RouterStateE2e,
    ::testing::Values(
        Row{"on_time", [](json&) {}, true, R"(router clock skew [+-][0-2] s)"},
        Row{"clock_90s_ahead", [](json& l) { l["system"]["clock-skew-s"] = 90; }, true,
            R"(router clock skew \+(8[89]|9[0-2]) s)"},
        Row{"clock_90s_behind", [](json& l) { l["system"]["clock-skew-s"] = -90; }, true,
            R"(router clock skew -(8[89]|9[0-2]) s)"},
        Row{"drop_without_log",
            [](json& l) { l["firewall"]["filter"][1].erase("log"); },
            false,
            R"(has no "DROP API: " line naming 203\.0\.113\.10:\d+->192\.0\.2\.1:87)",
            {{"router-firewall", "does not log"}}},
        Row{"old_version",
            [](json& l) { l["version"] = "7.12"; },
            true,
            R"(router clock skew [+-][0-2] s)",
            {{"router-version", "7.12"}}},
        Row{"audit_group_can_write",
            [](json& l) {
              l["groups"]["audit"] = {"read", "write", "api", "rest-api"};
            },
            true,
            R"(router clock skew [+-][0-2] s)",
            {{"router-users", "write"}}},
        // The guide's own `action=log` with no match: every input packet
        // logged with the prefix, the mgmt ones too, so the log says the
        // router dropped what it let in.
        Row{"unconditional_log_rule",
            [](json& l) {
              auto& f = l["firewall"]["filter"];
              f.insert(f.begin(), json::object({{"action", "log"}, {"log-prefix", "DROP API: "}}));
            },
            false,
            R"(although 192\.0\.2\.10 is in the management range)",
            {{"router-firewall", "logs every input packet"}}},
        Row{"certificate_differs_from_served",
            [](json& l) {
              l["certificates"] = {
                  {{"name", "lab-api-ssl"}, {"fingerprint", std::string(64, 'a')}}};
            },
            true,
            R"(router clock skew [+-][0-2] s)",
            {{"router-certificate", "but the certificate served in this run"}}},
        // The accept rule takes an address list that admits the outside
        // network: the firewall lets in more than the management range.
        Row{"address_list_wider_than_firewall",
            [](json& l) {
              auto& accept = l["firewall"]["filter"][0];
              accept.erase("src-address");
              accept["src-address-list"] = "mgmt";
              l["firewall"]["address-list"] = {{{"list", "mgmt"}, {"address", "192.0.2.0/24"}},
                                               {{"list", "mgmt"}, {"address", "203.0.113.0/24"}}};
            },
            false,
            R"(has no "DROP API: " line naming 203\.0\.113\.10)",
            {{"router-firewall", "admits 203.0.113.0/24"}}}),
    [](const auto& row_info) { return row_info.param.name; });
