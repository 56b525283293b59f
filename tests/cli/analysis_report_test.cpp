// A capture analysis as a run report: a check per finding kind and
// capture-verified, fail closed (no finding on an unverified input is an
// error), the exit code analyze and watch always had, and every format.
#include "cli/analysis_report.hpp"

#include <gtest/gtest.h>

#include "reports/formats.hpp"

namespace vantage::cli {
namespace {

using results::Status;

capture::AnalysisResult clean() {
  capture::AnalysisResult r;
  r.sources.push_back({"in.pcap", "RAW", 10, true});
  r.packets = r.tcp_packets = 10;
  return r;
}

capture::Finding finding(const std::string& kind, const std::string& user = "") {
  capture::Finding f;
  f.kind = kind;
  f.severity = kind == "credential-exposure" ? "critical" : "high";
  f.flow_id = 1;
  f.user = user;
  f.message = kind + " seen" + (user.empty() ? "" : ": user '" + user + "'");
  f.packets.push_back({0, 4});
  return f;
}

AnalysisRun run() {
  return {"vantage analyze", {"in.pcap"}, {}, std::chrono::seconds(1), {}};
}

std::map<std::string, Status> statuses(const results::RunReport& rep) {
  std::map<std::string, Status> out;
  for (const auto& c : rep.scenarios.at(0).results) out[c.check->id] = c.verdict.status;
  return out;
}

TEST(AnalysisReport, CleanInputPassesEveryCheck) {
  const auto rep = analysis_report(clean(), run());
  ASSERT_EQ(rep.scenarios.size(), 1u);
  EXPECT_EQ(rep.scenarios[0].name, "vantage analyze");
  EXPECT_EQ(rep.scenarios[0].targets, std::vector<std::string>{"in.pcap"});
  EXPECT_EQ(statuses(rep), (std::map<std::string, Status>{{"capture-verified", Status::kPass},
                                                          {"credential-exposure", Status::kPass},
                                                          {"non-tls-on-tls-port", Status::kPass},
                                                          {"plaintext-api", Status::kPass}}));
  EXPECT_EQ(rep.artifacts.at(0).path, "in.pcap");
  const auto& verified = rep.scenarios[0].results[3].verdict;
  EXPECT_EQ(verified.expected, "verified");
  EXPECT_EQ(verified.message, "every frame decoded: 10 packets from 1 source, 0 TCP flows");
  EXPECT_EQ(analysis_exit_code(clean(), run()), ExitCode::kPass);
}

TEST(AnalysisReport, FindingsFailTheirKindWithEveryFindingAsEvidence) {
  auto r = clean();
  r.findings = {finding("credential-exposure", "admin"), finding("credential-exposure", "bob"),
                finding("plaintext-api")};
  const auto rep = analysis_report(r, run());
  const auto& cred = rep.scenarios[0].results[0];
  EXPECT_EQ(cred.check->id, "credential-exposure");
  EXPECT_EQ(cred.check->severity, "critical");
  EXPECT_EQ(cred.verdict.status, Status::kFail);
  EXPECT_EQ(cred.verdict.message, "credential-exposure seen: user 'admin' (and 1 more)");
  // Each finding is a record the reports carry (JSON, SARIF, JUnit).
  ASSERT_EQ(cred.verdict.findings.size(), 2u);
  EXPECT_EQ(cred.verdict.findings[0].kind, "exposed credential");
  EXPECT_EQ(cred.verdict.findings[1].item, "bob");
  EXPECT_EQ(cred.verdict.observed, "2 findings");
  const json ev = cred.observation->evidence();
  ASSERT_EQ(ev["findings"].size(), 2u) << ev.dump(1);
  EXPECT_EQ(ev["findings"][1]["user"], "bob");
  EXPECT_EQ(statuses(rep)["plaintext-api"], Status::kFail);
  // capture-verified holds the whole analysis.
  EXPECT_EQ(rep.scenarios[0].results[3].observation->evidence()["findings"].size(), 3u);
  EXPECT_EQ(analysis_exit_code(r, run()), ExitCode::kFail);
}

// One rule for reports and exit codes: a non-TLS flow on a TLS port is not an
// exposure, but it is a failed check, and a failed check never exits 0.
TEST(AnalysisReport, NonTlsOnTlsPortFailsItsCheckAndTheExitCode) {
  auto r = clean();
  r.findings = {finding("non-tls-on-tls-port")};
  EXPECT_EQ(statuses(analysis_report(r, run()))["non-tls-on-tls-port"], Status::kFail);
  EXPECT_FALSE(r.exposure());
  EXPECT_EQ(analysis_exit_code(r, run()), ExitCode::kFail);
}

TEST(AnalysisReport, AnUnverifiedInputNeverPasses) {
  auto r = clean();
  r.undecodable = {"in.pcap: link type 127 is not supported"};
  const auto rep = analysis_report(r, run());
  for (const auto& [id, st] : statuses(rep)) EXPECT_EQ(st, Status::kError) << id;
  EXPECT_NE(rep.scenarios[0].results[3].verdict.message.find("not supported"), std::string::npos);
  EXPECT_EQ(analysis_exit_code(r, run()), ExitCode::kError);
  // An exposure that was seen stays a failure, and exit 1.
  r.findings = {finding("plaintext-api")};
  EXPECT_EQ(statuses(analysis_report(r, run()))["plaintext-api"], Status::kFail);
  EXPECT_EQ(analysis_exit_code(r, run()), ExitCode::kFail);
}

// watch: packets the kernel dropped are in the reports, not only on the console.
TEST(AnalysisReport, WhatTheCommandCouldNotVerifyIsAnErrorToo) {
  auto w = run();
  w.unverified = {"the kernel dropped 3 packet(s)"};
  const auto rep = analysis_report(clean(), w);
  EXPECT_EQ(statuses(rep)["capture-verified"], Status::kError);
  EXPECT_NE(rep.scenarios[0].results[3].verdict.message.find("dropped 3"), std::string::npos);
  EXPECT_EQ(analysis_exit_code(clean(), w), ExitCode::kError);
}

// The report owns its checks: copies outlive the analysis and the builder.
// Every format renders it, network text (a UTF-8 user name) intact.
TEST(AnalysisReport, EveryFormatRendersItAndKeepsNetworkText) {
  results::RunReport copy;
  {
    auto r = clean();
    r.findings = {finding("credential-exposure", "J\xC3\xB6rg")};
    copy = analysis_report(r, run());
  }
  EXPECT_EQ(copy.scenarios[0].results[0].check->id, "credential-exposure");
  for (const auto& f : reports::formats()) {
    if (!f.render) continue;
    const std::string text = f.render(copy, {});
    EXPECT_NE(text.find("credential-exposure"), std::string::npos) << f.name;
    EXPECT_NE(text.find("J\xC3\xB6rg"), std::string::npos) << f.name << "\n" << text;
  }
}

}  // namespace
}  // namespace vantage::cli
