// Post-change acceptance: the severity gate, waivers and the baseline diff,
// on records built by hand (no network): what the exit code rests on.
#include <gtest/gtest.h>

#include <memory>

#include "core/error.hpp"
#include "results/baseline.hpp"
#include "results/waiver.hpp"

namespace vantage::results {
namespace {

// A report of one scenario, one target; a check per (id, severity, status).
struct FakeRun {
  std::vector<std::unique_ptr<CheckCommon>> checks;
  RunReport report;
  FakeRun& add(const std::string& id, const std::string& sev, Status st,
               std::string source = "mgmt") {
    auto c = std::make_unique<CheckCommon>();
    c->id = id;
    c->severity = sev;
    c->fingerprint = "fp-" + id;
    if (report.scenarios.empty())
      report.scenarios.push_back({"s.json", "hardening", {"rtr"}, {}, "v1"});
    CheckResult r;
    r.check = c.get();
    r.target = "rtr";
    r.target_host = "192.0.2.1";
    r.source = std::move(source);
    r.verdict.status = st;
    report.scenarios[0].results.push_back(r);
    checks.push_back(std::move(c));
    return *this;
  }
  CheckResult& at(std::size_t i) { return report.scenarios[0].results.at(i); }
};

ConfigDoc waiver_doc(const std::string& waivers) {
  return ConfigDoc::parse("w.json", R"({"vantage": 1, "waivers": [)" + waivers + "]}");
}

const char* kWaiver = R"({"check": "api-plain", "target": "r*", "source": "mgmt",
  "justification": "change CHG-42 retires it", "owner": "netops", "expires": "2026-12-31"})";

TEST(Gate, DefaultAnyFailureFails) {
  FakeRun r;
  r.add("a", "info", Status::kFail).add("b", "high", Status::kPass);
  EXPECT_EQ(exit_code_for(r.report), 1);
  EXPECT_NE(exit_reason(r.report).find("any failure fails"), std::string::npos);
}

TEST(Gate, FailOnCountsOnlyTheThresholdAndAbove) {
  FakeRun r;
  r.add("a", "medium", Status::kFail).add("b", "high", Status::kPass);
  r.report.gate.fail_on = "high";
  EXPECT_EQ(exit_code_for(r.report), 0);
  EXPECT_EQ(exit_reason(r.report),
            "exit 0: no failures at or above --fail-on high; 1 failure not gating");
  r.report.gate.fail_on = "medium";
  EXPECT_EQ(exit_code_for(r.report), 1);
  EXPECT_EQ(failures_by_severity(r.report),
            (std::vector<std::pair<std::string, int>>{{"medium", 1}}));
}

TEST(Gate, AnErrorIsNeverGatedAway) {
  FakeRun r;
  r.add("a", "info", Status::kError).add("b", "low", Status::kFail).add("c", "high", Status::kPass);
  r.report.gate.fail_on = "critical";
  EXPECT_EQ(exit_code_for(r.report), 2);
  EXPECT_NE(exit_reason(r.report).find("never gated"), std::string::npos);
}

TEST(Gate, AnUnknownSeverityGates) {
  FakeRun r;
  r.add("a", "severe", Status::kFail);
  r.report.gate.fail_on = "critical";
  EXPECT_EQ(exit_code_for(r.report), 1);
}

TEST(Waivers, AMatchingFailureIsWaivedNeverPassed) {
  FakeRun r;
  r.add("api-plain", "high", Status::kFail).add("other", "high", Status::kPass);
  apply_waivers(r.report, parse_waivers(waiver_doc(kWaiver)), "2026-12-01");
  EXPECT_EQ(r.at(0).verdict.status, Status::kWaived);
  ASSERT_TRUE(r.at(0).waiver);
  EXPECT_EQ(r.at(0).waiver->justification, "change CHG-42 retires it");
  EXPECT_EQ(r.at(0).waiver->line, 1);
  EXPECT_EQ(r.report.counts().pass, 1);
  EXPECT_EQ(r.report.counts().waived, 1);
  EXPECT_EQ(exit_code_for(r.report), 0);
  EXPECT_TRUE(r.report.warnings.empty());
}

TEST(Waivers, AnExpiredWaiverStopsWaivingAndSaysSo) {
  FakeRun r;
  r.add("api-plain", "high", Status::kFail);
  apply_waivers(r.report, parse_waivers(waiver_doc(kWaiver)), "2027-01-01");
  EXPECT_EQ(r.at(0).verdict.status, Status::kFail);
  ASSERT_TRUE(r.at(0).waiver);
  EXPECT_TRUE(r.at(0).waiver->expired);
  ASSERT_EQ(r.report.warnings.size(), 1u);
  EXPECT_NE(r.report.warnings[0].find("expired on 2026-12-31"), std::string::npos);
  EXPECT_EQ(exit_code_for(r.report), 1);
}

TEST(Waivers, ErrorsAreNeverWaived) {
  FakeRun r;
  r.add("api-plain", "high", Status::kError);
  apply_waivers(r.report, parse_waivers(waiver_doc(kWaiver)), "2026-12-01");
  EXPECT_EQ(r.at(0).verdict.status, Status::kError);
  EXPECT_EQ(exit_code_for(r.report), 2);
  ASSERT_EQ(r.report.warnings.size(), 1u);
  EXPECT_NE(r.report.warnings[0].find("never waived"), std::string::npos);
}

TEST(Waivers, AWaiverMatchingNothingIsAWarning) {
  FakeRun r;
  r.add("api-plain", "high", Status::kFail, "outside");  // the waiver names mgmt
  apply_waivers(r.report, parse_waivers(waiver_doc(kWaiver)), "2026-12-01");
  EXPECT_EQ(r.at(0).verdict.status, Status::kFail);
  ASSERT_EQ(r.report.warnings.size(), 1u);
  EXPECT_NE(r.report.warnings[0].find("matches no result"), std::string::npos);
}

TEST(Waivers, ABadFileNamesEveryProblemWithItsLine) {
  try {
    parse_waivers(waiver_doc(R"({"check": "a", "justification": "", "owner": "x",
                                 "expires": "31/12/2026", "until": 1})"));
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    std::string all;
    for (const auto& d : e.diagnostics()) all += d.to_string() + "\n";
    EXPECT_NE(all.find("must not be empty"), std::string::npos) << all;
    EXPECT_NE(all.find("YYYY-MM-DD"), std::string::npos) << all;
    EXPECT_NE(all.find("until"), std::string::npos) << all;
  }
}

TEST(Baseline, EveryIdentitySortsIntoOneChange) {
  FakeRun before, after;
  before.add("fixed", "high", Status::kFail).add("still-fail", "high", Status::kFail);
  before.add("still-pass", "high", Status::kPass).add("new-fail", "high", Status::kPass);
  before.add("gone", "high", Status::kPass);
  // Another order: matching is by identity, not position.
  after.add("new-fail", "high", Status::kFail).add("still-pass", "high", Status::kPass);
  after.add("still-fail", "high", Status::kWaived).add("fixed", "high", Status::kPass);
  after.add("new-check", "high", Status::kPass);
  apply_baseline(after.report, snapshot_of(before.report));
  EXPECT_EQ(after.at(0).change, Change::kNewFailure);
  EXPECT_EQ(after.at(1).change, Change::kStillPassing);
  EXPECT_EQ(after.at(2).change, Change::kStillFailing);
  EXPECT_EQ(after.at(3).change, Change::kFixed);
  EXPECT_EQ(after.at(4).change, Change::kNewCheck);
  ASSERT_TRUE(after.report.baseline);
  ASSERT_EQ(after.report.baseline->gone.size(), 1u);
  EXPECT_EQ(after.report.baseline->gone[0].check, "gone");
  EXPECT_TRUE(after.report.baseline->version_notes.empty());
  after.report.gate.fail_on_new = true;
  EXPECT_EQ(exit_code_for(after.report), 1);  // new-fail
  after.at(0).verdict.status = Status::kPass;
  EXPECT_EQ(exit_code_for(after.report), 0);  // still-fail is waived, and not new
}

TEST(Baseline, KnownDebtDoesNotGateWithFailOnNew) {
  FakeRun before, after;
  before.add("debt", "critical", Status::kFail).add("ok", "high", Status::kPass);
  after.add("debt", "critical", Status::kFail).add("ok", "high", Status::kPass);
  apply_baseline(after.report, snapshot_of(before.report));
  after.report.gate.fail_on_new = true;
  EXPECT_EQ(exit_code_for(after.report), 0);
  after.report.gate.fail_on_new = false;
  EXPECT_EQ(exit_code_for(after.report), 1);
}

TEST(Baseline, AnotherScenarioVersionIsSaidSo) {
  FakeRun before, after;
  before.add("a", "high", Status::kPass);
  after.add("a", "high", Status::kFail);
  after.checks[0]->fingerprint = "fp-a-edited";
  after.report.scenarios[0].fingerprint = "v2";
  const auto d = diff(snapshot_of(before.report), snapshot_of(after.report));
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_TRUE(d.entries[0].redefined);
  ASSERT_EQ(d.version_notes.size(), 2u);
  EXPECT_NE(d.version_notes[0].find("differs from the baseline's version"), std::string::npos);
  EXPECT_NE(d.version_notes[1].find("changed definition"), std::string::npos);
}

TEST(Baseline, AJsonReportIsReadByIdentity) {
  const auto doc = ConfigDoc::parse("b.json", R"({"format": "vantage-report", "version": 1,
    "scenarios": [{"name": "hardening", "fingerprint": "v1", "targets": [{"name": "rtr",
      "checks": [{"id": "a", "source": "mgmt", "severity": "high", "fingerprint": "fp-a",
                  "verdict": {"status": "fail"}}]}]}]})");
  const auto s = snapshot_from_json(doc);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].key, (ResultKey{"hardening", "rtr", "mgmt", "a"}));
  EXPECT_EQ(s.entries[0].status, Status::kFail);
  EXPECT_THROW(snapshot_from_json(ConfigDoc::parse("x.json", R"({"vantage": 1})")), ConfigError);
}

}  // namespace
}  // namespace vantage::results
