// The JSON report read back renders exactly as the report it came from, in
// every format of the table: what vantage merge relies on to write a fleet
// report no different from an unsharded run's.
#include "reports/json_read.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.hpp"
#include "reports/formats.hpp"
#include "reports/json_report.hpp"

namespace vantage::reports {
namespace {

ReadReport round_trip(const results::RunReport& r) {
  return read_json_report(ConfigDoc::parse("r.json", render_json_text(r)));
}

TEST(ReportsJsonRead, EveryFormatRendersTheSameFromTheReadBackReport) {
  auto s = testing::acceptance_sample();
  auto& sc = s.report.scenarios[0];
  sc.fingerprint = "0123456789abcdef";
  // As the engine writes them: grouped by target (the sample appends one late).
  std::stable_sort(sc.results.begin(), sc.results.end(), [](const auto& a, const auto& b) {
    return (a.target == "core-rtr-1") > (b.target == "core-rtr-1");
  });
  sc.results[1].verdict.findings = {
      {"accepted", "TLSv1.0", "", "TLSv1.0 accepted"},
      {"forbidden suites", "TLS_RSA_WITH_NULL_SHA", "null", "null suite accepted"}};
  auto unknown = testing::obs("open", "192.0.2.10", {{"outcome", "open"}});
  unknown->unknowns.push_back("DH size never seen");
  sc.results[0].observation = unknown;
  results::FleetInfo f;
  f.inventory = "hosts.ini";
  f.inventory_targets = 7;
  f.targets_fingerprint = "fedcba9876543210";
  f.limit = {"core"};
  f.shard = 2;
  f.shards = 3;
  f.scenario_fingerprint = "00ff00ff00ff00ff";
  f.selected = {{"core-rtr-1", 0}, {"192.0.2.7", 4}};
  s.report.fleet = f;
  s.report.permission_errors.push_back("capture needs CAP_NET_RAW");
  s.report.gate.fail_on = "high";

  const auto back = round_trip(s.report);
  for (const auto& fmt : formats()) {
    if (!fmt.render) continue;
    for (bool verbose : {false, true}) {
      RenderOptions o;
      o.verbose = verbose;
      EXPECT_EQ(fmt.render(back.report, o), fmt.render(s.report, o)) << fmt.name;
    }
  }
  const std::string line = "fleet: shard 2/3: 2 of the 7 targets of hosts.ini, --limit core";
  EXPECT_NE(find_format("console")->render(back.report, {}).find(line), std::string::npos);
  EXPECT_NE(find_format("html")->render(back.report, {}).find(line), std::string::npos);
  ASSERT_TRUE(back.report.fleet);
  EXPECT_EQ(back.report.fleet->shard, 2);
  EXPECT_EQ(back.report.fleet->selected.size(), 2u);
  EXPECT_EQ(back.report.fleet->selected[1].index, 4);
  EXPECT_EQ(back.report.scenarios[0].results[1].verdict.findings.size(), 2u);
  EXPECT_EQ(results::exit_code_for(back.report), results::exit_code_for(s.report));
}

TEST(ReportsJsonRead, NotAReportIsALocatedError) {
  try {
    read_json_report(ConfigDoc::parse("x.json", R"({"format": "something-else"})"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(e.diagnostics()[0].message.find("not a vantage JSON report"), std::string::npos);
  }
  try {
    read_json_report(ConfigDoc::parse("v.json", R"({"format": "vantage-report", "version": 9})"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(e.diagnostics()[0].to_string().find("v.json:1:"), std::string::npos);
    EXPECT_NE(e.diagnostics()[0].message.find("this vantage reads version 1"), std::string::npos);
  }
}

}  // namespace
}  // namespace vantage::reports
