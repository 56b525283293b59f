// The router's own log against the run, end to end, on every link profile:
// the shipped hardening and router-state scenarios run together against the
// emulated RouterOS (lab_topology.hpp) whose nft firewall logs its drops over
// NFLOG into the lab's /log. Every API connection the run made from outside
// the management range must be found there as a drop, with the router's
// clock on time or 90 s off either way; a drop rule that does not log fails
// the correlation, naming the connection it could not find.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/lab_topology.hpp"

using namespace vantage::testing;
using nlohmann::json;

namespace {

struct Row {
  std::string name;
  std::function<void(json& lab)> configure;
  bool correlation_passes;
  std::string words;  // in the correlation's message
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
  ASSERT_TRUE(std::regex_search(message, m, std::regex(R"(\[(\d+) of (\d+) API connections)")))
      << message;
  EXPECT_GE(std::stoi(m[2]), 1) << message;
  if (row.correlation_passes) {
    EXPECT_EQ(m[1], m[2]) << message;
  }
  // No check of either scenario is an error on any link.
  for (const auto& s : report["scenarios"])
    for (const auto& t : s["targets"])
      for (const auto& x : t["checks"])
        EXPECT_NE(x["verdict"]["status"], "error") << x["id"] << ": " << x["verdict"]["message"];
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
        Row{"drop_without_log", [](json& l) { l["firewall"]["filter"][1].erase("log"); }, false,
            R"(has no "DROP API: " line naming 203\.0\.113\.10:\d+->192\.0\.2\.1:87)"}),
    [](const auto& row_info) { return row_info.param.name; });
