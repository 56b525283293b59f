// The fleet matrix: its cells from the records (worst over sources), its
// markup and anchors in the HTML report, and its size for 1000 routers.
#include "reports/html_matrix.hpp"

#include <gtest/gtest.h>

#include <iostream>

#include "fixture.hpp"
#include "reports/html.hpp"
#include "reports/matrix.hpp"

namespace vantage::reports {
namespace {

using results::Status;
using testing::sample_report;

TEST(FleetMatrix, CellsAreTheWorstVerdictOverSources) {
  EXPECT_EQ(cell_status(Status::kPass, Status::kFail), Status::kFail);
  EXPECT_EQ(cell_status(Status::kError, Status::kFail), Status::kFail);
  EXPECT_EQ(cell_status(Status::kPass, Status::kError), Status::kError);
  EXPECT_EQ(cell_status(Status::kWaived, Status::kError), Status::kError);
  EXPECT_EQ(cell_status(Status::kPass, Status::kWaived), Status::kWaived);
  EXPECT_EQ(cell_status(Status::kSkip, Status::kPass), Status::kPass);
  EXPECT_EQ(cell_status(Status::kSkip, Status::kSkip), Status::kSkip);

  auto s = sample_report();
  const Matrix m = fleet_matrix(s.report);
  ASSERT_EQ(m.targets, (std::vector<std::string>{"core-rtr-1", "192.0.2.7"}));
  ASSERT_EQ(m.checks,
            (std::vector<std::string>{"api-ssl-mgmt", "api-plain-closed", "no-plaintext-api"}));
  EXPECT_EQ(m.cells[0][0], Status::kPass);
  EXPECT_EQ(m.cells[0][1], Status::kFail);  // fail from mgmt, error from outside
  EXPECT_EQ(m.cells[0][2], Status::kSkip);
  EXPECT_EQ(m.cells[1][0], Status::kPass);
  EXPECT_FALSE(m.cells[1][1].has_value());  // not run on that target
  EXPECT_EQ(m.failures, (std::vector<int>{1, 0}));
}

TEST(FleetMatrix, HtmlRowsCellsAndAnchors) {
  auto s = sample_report();
  const std::string html = render_html(s.report);
  const auto fleet = html.find("<section id=\"fleet\">");
  ASSERT_NE(fleet, std::string::npos);
  EXPECT_LT(fleet, html.find("<section id=\"fix\""));  // at the top, the fix panel after it
  EXPECT_NE(html.find("<h2>Fleet: 2 targets &times; 3 checks</h2>"), std::string::npos);
  EXPECT_NE(html.find("<tr><th><a href=#t0>core-rtr-1</a><td>1<td class=pass><a href=#c0-0>P</a>"
                      "<td class=fail><a href=#c0-1>F</a><td class=skip><a href=#c0-2>S</a>\n"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><th><a href=#t1>192.0.2.7</a><td>0<td class=pass><a href=#c1-0>P</a>"
                      "<td><td>\n"),
            std::string::npos);
  // Every link has its target, once: the first heading of a target, the
  // first row of a target and check (the fail row, not the error after it).
  EXPECT_NE(html.find("<h3 id=\"t0\">core-rtr-1"), std::string::npos);
  EXPECT_NE(html.find("<h3 id=\"t1\">192.0.2.7"), std::string::npos);
  EXPECT_NE(html.find("<tr id=\"c0-1\" class=\"fail\" data-check=\"api-plain-closed\">"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"error\" data-check=\"api-plain-closed\">"), std::string::npos);
  for (const char* id : {"t0", "t1", "c0-0", "c0-1", "c0-2", "c1-0"}) {
    const std::string attr = std::string("id=\"") + id + "\"";
    EXPECT_NE(html.find(attr), std::string::npos) << id;
    EXPECT_EQ(html.find(attr), html.rfind(attr)) << id;
  }
  // The sort buttons and the script that drives them.
  EXPECT_NE(html.find("<button data-sort=\"name\">Target</button>"), std::string::npos);
  EXPECT_NE(html.find("<button data-sort=\"fail\">Failures</button>"), std::string::npos);
  EXPECT_NE(html.find("<script>" + std::string(kMatrixScript) + "</script>"), std::string::npos);
}

// Two scenarios over the same targets: one row per target, the union of
// their checks, a cell the worst of both; every anchor on its first row only.
TEST(FleetMatrix, SeveralScenariosShareRows) {
  auto s = sample_report();
  results::ScenarioResult second = s.report.scenarios[0];
  second.name = "second";
  second.results.erase(second.results.begin() + 1, second.results.begin() + 3);  // no api-plain
  second.results[0].verdict.status = Status::kError;  // core-rtr-1 api-ssl-mgmt: pass, then error
  auto* extra = s.check("ftp-closed", "tcp", 21);
  second.results.push_back(testing::result(extra, "192.0.2.7", "192.0.2.7", "mgmt", "mgmt",
                                           Status::kFail, "not-open", "open", "port 21 open", 0,
                                           9));
  s.report.scenarios.push_back(second);
  const Matrix m = fleet_matrix(s.report);
  ASSERT_EQ(m.targets.size(), 2u);
  ASSERT_EQ(m.checks.size(), 4u);
  EXPECT_EQ(m.checks[3], "ftp-closed");
  EXPECT_EQ(m.cells[0][0], Status::kError);  // worst over both scenarios
  EXPECT_EQ(m.cells[1][3], Status::kFail);
  EXPECT_FALSE(m.cells[0][3].has_value());
  EXPECT_EQ(m.failures, (std::vector<int>{1, 1}));
  const std::string html = render_html(s.report);
  for (const char* id : {"t0", "t1", "c0-0", "c1-0", "c1-3"}) {
    const std::string attr = std::string("id=\"") + id + "\"";
    EXPECT_NE(html.find(attr), std::string::npos) << id;
    EXPECT_EQ(html.find(attr), html.rfind(attr)) << id;
  }
  // The first scenario's row keeps the anchor: the link lands on the first.
  EXPECT_LT(html.find("id=\"c0-0\""), html.find("<h2>second"));
  EXPECT_GT(html.find("id=\"c1-3\""), html.find("<h2>second"));
}

TEST(FleetMatrix, NamesAreEscaped) {
  auto s = sample_report();
  for (auto& r : s.report.scenarios[0].results)
    if (r.target == "192.0.2.7") r.target = "<b>\"x\"";
  s.report.scenarios[0].targets[1] = "<b>\"x\"";
  s.checks[0]->id = "id<script>";
  const std::string html = render_html(s.report);
  EXPECT_NE(html.find("<a href=#t1>&lt;b&gt;&quot;x&quot;</a>"), std::string::npos);
  EXPECT_NE(html.find("<th><span>id&lt;script&gt;</span></th>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("id<script>"), std::string::npos);
}

// A thousand routers, twenty checks each, two sources for some: the matrix
// stays within its stated bound (34 bytes a cell and the digits of its
// anchor, the names, a fixed part) and the page stays one file.
TEST(FleetMatrix, ThousandRoutersStayBounded) {
  testing::Sample s;
  std::vector<const results::CheckCommon*> checks;
  for (int c = 0; c < 20; ++c)
    checks.push_back(s.check("routeros-api-check-" + std::to_string(c), "tcp", 8728, "high",
                             "a check of the API service"));
  results::ScenarioResult sc;
  sc.name = "fleet";
  const Status cycle[] = {Status::kPass, Status::kPass, Status::kFail,  Status::kError,
                          Status::kPass, Status::kSkip, Status::kWaived};
  for (int t = 0; t < 1000; ++t) {
    const std::string name = "rtr-" + std::to_string(t);
    sc.targets.push_back(name);
    for (int c = 0; c < 20; ++c) {
      const Status st = cycle[(t + c) % 7];
      auto r = testing::result(checks[c], name, "192.0.2.1", "mgmt", "mgmt (address 192.0.2.10)",
                               st, "not-open", st == Status::kPass ? "refused" : "open",
                               "expected not-open", 0.02, t);
      r.observation = testing::obs("refused after 1 attempt", "192.0.2.10",
                                   {{"outcome", "refused"}, {"attempts", 1}, {"rtt_ms", 0.4}});
      sc.results.push_back(r);
    }
  }
  s.report.scenarios.push_back(std::move(sc));
  const Matrix m = fleet_matrix(s.report);
  ASSERT_EQ(m.targets.size(), 1000u);
  ASSERT_EQ(m.checks.size(), 20u);
  const std::string section = matrix_section(m);
  const std::size_t bound = matrix_size_bound(m);
  const std::string html = render_html(s.report);
  std::cout << "1000 targets x 20 checks: matrix " << section.size() << " bytes (bound " << bound
            << ", " << section.size() / 20000.0 << " a cell), whole page " << html.size()
            << " bytes\n";
  EXPECT_LE(section.size(), bound);
  EXPECT_LE(bound, 1'000'000u);  // under a megabyte for the matrix of 1000 x 20
  EXPECT_LE(section.size() / 20000.0, 40.0);
  // The whole page: the matrix and a detailed row per result, each under 1.5 kB.
  EXPECT_LE(html.size(), section.size() + 20000u * 1500u);
  EXPECT_NE(html.find(section), std::string::npos);
  EXPECT_EQ(html.find("<script"), html.rfind("<script"));
}

// An evidence record the size of a TLS scan's (every suite of every version,
// about 8 kB as the page prints it).
json scan_sized_evidence() {
  json versions = json::array();
  for (int v = 0; v < 5; ++v) {
    json suites = json::array();
    for (int i = 0; i < 12; ++i)
      suites.push_back({{"code", "0xC02F"},
                        {"name", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                        {"classes", {"aead"}}});
    versions.push_back({{"version", "TLSv1." + std::to_string(v)}, {"suites", suites}});
  }
  return {{"outcome", "scanned"}, {"versions", versions}};
}

// A fleet's page as a person opens it: 1000 routers, 5 checks each, each with
// a record the size of a TLS scan's. All pass: each row is a summary (no
// record), so the page stays a few megabytes, not the 18 MB it was.
TEST(FleetPage, AThousandPassingRoutersStayBoundedWithScanSizedEvidence) {
  testing::Sample s;
  std::vector<const results::CheckCommon*> checks;
  for (int c = 0; c < 5; ++c)
    checks.push_back(s.check("check-" + std::to_string(c), "tls", 8729, "high", ""));
  results::ScenarioResult sc;
  sc.name = "fleet";
  const json ev = scan_sized_evidence();
  ASSERT_GT(ev.dump(2).size(), 8000u);
  for (int t = 0; t < 1000; ++t) {
    const std::string name = "rtr-" + std::to_string(t);
    sc.targets.push_back(name);
    for (const auto* c : checks) {
      auto r = testing::result(c, name, "192.0.2.1", "mgmt", "mgmt (address 192.0.2.10)",
                               Status::kPass, "TLSv1.2", "TLSv1.2", "TLSv1.2 accepted", 1.2, t);
      r.observation = testing::obs("TLSv1.2 accepted; 15 suites", "192.0.2.10", ev);
      sc.results.push_back(r);
    }
  }
  s.report.scenarios.push_back(std::move(sc));
  const std::string html = render_html(s.report);
  const std::string section = matrix_section(fleet_matrix(s.report));
  std::cout << "1000 passing targets x 5 scan-sized checks: page " << html.size() << " bytes\n";
  EXPECT_EQ(html.find("<pre>"), std::string::npos);
  EXPECT_NE(html.find("TLSv1.2 accepted; 15 suites"), std::string::npos);
  EXPECT_NE(html.find("every record is whole in the JSON report"), std::string::npos);
  EXPECT_LE(html.size(), section.size() + 5000u * 1500u);
}

// What did not pass keeps its record on a fleet page, cut at 16 kB at a line
// end; a page of a few targets keeps every record whole, passes too.
TEST(FleetPage, ARecordOfACheckThatDidNotPassIsKeptUpToItsBound) {
  auto page = [](int targets, Status st) {
    testing::Sample s;
    const auto* c = s.check("api-ssl-tls", "tls", 8729, "high", "");
    results::ScenarioResult sc;
    sc.name = "fleet";
    json big = json::array();
    for (int i = 0; i < 2000; ++i) big.push_back("suite-" + std::to_string(i) + "-<&\"x\">");
    for (int t = 0; t < targets; ++t) {
      const std::string name = "rtr-" + std::to_string(t);
      sc.targets.push_back(name);
      auto r = testing::result(c, name, "192.0.2.1", "mgmt", "mgmt", t == 0 ? st : Status::kPass,
                               "TLSv1.2", "TLSv1.0", "TLSv1.0 accepted", 1.0, t);
      r.observation = testing::obs("TLSv1.0 accepted", "192.0.2.10", {{"suites", big}});
      sc.results.push_back(r);
    }
    s.report.scenarios.push_back(std::move(sc));
    return render_html(s.report);
  };
  auto pre_of = [](const std::string& html) {
    const auto a = html.find("<pre>"), b = html.find("</pre>", a);
    return a == std::string::npos ? std::string() : html.substr(a + 5, b - a - 5);
  };
  for (Status st : {Status::kFail, Status::kError, Status::kWaived}) {
    const std::string fleet = page(50, st);
    const std::string pre = pre_of(fleet);
    ASSERT_FALSE(pre.empty()) << results::to_string(st);
    EXPECT_EQ(fleet.find("<pre>"), fleet.rfind("<pre>"));  // the 49 passes have none
    EXPECT_LT(pre.size(), 16384u * 2);                     // escaping may grow the 16 kB cut
    EXPECT_NE(pre.find("suite-0-&lt;&amp;\\\"x\\\"&gt;"), std::string::npos);
    EXPECT_NE(pre.find("the whole record is in the JSON report"), std::string::npos);
  }
  const std::string few = page(3, Status::kFail);
  EXPECT_NE(pre_of(few).find("suite-1999-"), std::string::npos);
  EXPECT_EQ(pre_of(few).find("the whole record"), std::string::npos);
  EXPECT_EQ(few.find("every record is whole"), std::string::npos);
  std::size_t pres = 0;
  for (auto at = few.find("<pre>"); at != std::string::npos; at = few.find("<pre>", at + 1)) ++pres;
  EXPECT_EQ(pres, 3u);  // the passes' records too
}

}  // namespace
}  // namespace vantage::reports
