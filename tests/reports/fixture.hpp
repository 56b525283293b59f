#pragma once
// Report input built by hand: a fake observation and a fake check spec (not a
// network mock: reporters only read records). Shared by the reports tests.
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "results/result.hpp"
#include "vantage/version.hpp"

namespace vantage::reports::testing {

struct FakeObservation : results::Observation {
  json ev = json::object();
  json evidence() const override { return ev; }
};

struct ThrowingObservation : results::Observation {
  json evidence() const override { throw std::runtime_error("evidence exploded"); }
};

class FakeSpec : public results::CheckSpec {
 public:
  explicit FakeSpec(json expected) : expected_(std::move(expected)) {}
  results::Verdict judge(const results::Observation&) const override { return {}; }
  json expected() const override { return expected_; }

 private:
  json expected_;
};

// 2026-11-25T15:04:05Z plus `ms` milliseconds.
inline results::SystemTime at(long ms = 0) {
  return results::SystemTime(std::chrono::seconds(1795619045)) + std::chrono::milliseconds(ms);
}

// Owns the CheckCommon records that CheckResult points to.
struct Sample {
  std::vector<std::unique_ptr<results::CheckCommon>> checks;
  results::RunReport report;

  const results::CheckCommon* check(std::string id, std::string probe, std::uint16_t port,
                                    std::string severity = "high", std::string description = "") {
    auto c = std::make_unique<results::CheckCommon>();
    c->id = std::move(id);
    c->probe = std::move(probe);
    c->port = port;
    c->severity = std::move(severity);
    c->description = std::move(description);
    checks.push_back(std::move(c));
    return checks.back().get();
  }
};

inline results::CheckResult result(const results::CheckCommon* check, std::string target,
                                   std::string host, std::string source, std::string source_desc,
                                   results::Status status, std::string expected,
                                   std::string observed, std::string message, double elapsed,
                                   long start_ms) {
  results::CheckResult r;
  r.check = check;
  r.spec = std::make_shared<FakeSpec>(json(expected));
  r.target = std::move(target);
  r.target_host = std::move(host);
  r.source = std::move(source);
  r.source_desc = std::move(source_desc);
  r.verdict = {status, std::move(message), std::move(expected), std::move(observed)};
  r.started = at(start_ms);
  r.elapsed = std::chrono::duration<double>(elapsed);
  return r;
}

inline std::shared_ptr<FakeObservation> obs(std::string summary, std::string local,
                                            json ev = json::object(), std::string error = "") {
  auto o = std::make_shared<FakeObservation>();
  o->summary = std::move(summary);
  o->local_address = std::move(local);
  o->ev = std::move(ev);
  o->error = std::move(error);
  return o;
}

// One scenario, two targets; pass, fail (with <&" in its message), error and
// skip, times of 12 us and 12345.6 s, a capture artifact and a run warning.
inline Sample sample_report() {
  using results::Status;
  Sample s;
  auto* ssl = s.check("api-ssl-mgmt", "tcp", 8729, "high", "API-SSL reachable from mgmt");
  auto* plain = s.check("api-plain-closed", "tcp", 8728, "critical");
  auto* capture = s.check("no-plaintext-api", "capture", 0, "high");

  results::ScenarioResult sc;
  sc.file = "scenarios/core.jsonc";
  sc.name = "core-rtr-1 api hardening";
  sc.targets = {"core-rtr-1", "192.0.2.7"};

  auto r1 = result(ssl, "core-rtr-1", "192.0.2.1", "mgmt", "mgmt (address 192.0.2.10)",
                   Status::kPass, "open", "open", "expected open, observed open", 0.000012, 0);
  r1.observation = obs("open after 1 attempt, rtt 0.4 ms", "192.0.2.10",
                       {{"outcome", "open"}, {"attempts", 1}, {"rtt_ms", 0.4}});
  auto r2 =
      result(plain, "core-rtr-1", "192.0.2.1", "mgmt", "mgmt (address 192.0.2.10)", Status::kFail,
             "not-open", "open", "port 8728 answered <&\"plaintext\"> from mgmt", 0.0213, 1);
  auto o2 =
      obs("open after 1 attempt", "192.0.2.10", {{"outcome", "open"}, {"banner", "<b>&\"x\"</b>"}});
  o2->warnings.push_back("retransmitted SYN");
  r2.observation = o2;
  auto r3 = result(plain, "core-rtr-1", "192.0.2.1", "outside", "outside (netns outside)",
                   Status::kError, "not-open", "", "source outside could not be used", 12345.6, 2);
  r3.observation =
      obs("", "", json::object(), "bind 198.51.100.9: Cannot assign requested address");
  auto r4 = result(capture, "core-rtr-1", "192.0.2.1", "", "", Status::kSkip, "no-plaintext-api",
                   "", "capture disabled by --no-capture", 0, 3);
  auto r5 = result(ssl, "192.0.2.7", "192.0.2.7", "mgmt", "mgmt (address 192.0.2.10)",
                   Status::kPass, "open", "open", "expected open, observed open", 1.5, 10);
  r5.observation = obs("open after 1 attempt, rtt 1.5 ms", "192.0.2.10", {{"outcome", "open"}});
  sc.results = {r1, r2, r3, r4, r5};

  s.report.scenarios.push_back(std::move(sc));
  s.report.started = at(-250);
  s.report.elapsed = std::chrono::duration<double>(2.0134);
  s.report.artifacts.push_back({"pcap", "/var/tmp/vantage-run/capture.pcap"});
  s.report.warnings.push_back("capture interface any: packets may be duplicated");
  return s;
}

// The sample after post-change acceptance: compared with a baseline (every
// kind of change, one result gone), one failure waived, one expired waiver.
inline Sample acceptance_sample() {
  using results::Change;
  using results::Status;
  Sample s = sample_report();
  auto* telnet = s.check("telnet-closed", "tcp", 23, "medium", "telnet is off");
  auto& sc = s.report.scenarios[0];
  auto waived = result(telnet, "core-rtr-1", "192.0.2.1", "mgmt", "mgmt (address 192.0.2.10)",
                       Status::kWaived, "not-open", "open", "port 23 answered", 0.002, 4);
  waived.waiver = results::WaiverRef{
      "telnet-closed", "console server, CHG-42", "netops", "2026-12-31", "waivers.json", 3, false};
  sc.results.push_back(waived);
  sc.results[1].waiver = results::WaiverRef{"api-plain-closed", "old", "netops", "2026-01-31",
                                            "waivers.json",     9,     true};
  const Change changes[] = {Change::kStillPassing, Change::kNewFailure, Change::kNotCompared,
                            Change::kNotCompared,  Change::kFixed,      Change::kStillFailing};
  for (std::size_t i = 0; i < sc.results.size(); ++i) sc.results[i].change = changes[i];
  for (auto& c : s.checks) {
    c->file = "scenarios/core.jsonc";
    c->line = 10 + c->port % 7;
    c->column = 5;
  }
  results::BaselineInfo b;
  b.file = "baseline/report.json";
  b.gone.push_back({sc.name, "core-rtr-1", "mgmt", "ftp-closed", Status::kPass});
  s.report.baseline = b;
  return s;
}

// The acceptance sample with findings (results::Finding): the failure has two
// failing findings (each with its fix, the same suite on two versions) and
// one piece of advice; the pass has advice only; the waived failure has one.
inline Sample findings_sample() {
  Sample s = acceptance_sample();
  auto& r = s.report.scenarios[0].results;
  r[1].verdict.findings = {
      {"enabled service", "telnet", "", "service telnet is enabled (port 23)",
       "/ip service disable telnet"},
      {"forbidden suite", "TLS_RSA_WITH_NULL_SHA", "null", "TLSv1.0 accepts TLS_RSA_WITH_NULL_SHA"},
      {"forbidden suite", "TLS_RSA_WITH_NULL_SHA", "null", "TLSv1.1 accepts TLS_RSA_WITH_NULL_SHA"},
      {"api-ssl setting", "port", "", "api-ssl is on its default port 8729",
       "/ip service set api-ssl port=<port>", true}};
  r[0].verdict.findings = {{"available update", "7.16.2", "", "RouterOS 7.16.2 is available",
                            "/system package update install", true}};
  r[5].verdict.findings = {
      {"enabled service", "telnet", "", "service telnet is enabled", "/ip service disable telnet"}};
  return s;
}

// The version changes with every release; goldens hold a placeholder.
inline std::string normalize_version(std::string text) {
  const std::string v = kVersion;
  for (auto pos = text.find(v); pos != std::string::npos; pos = text.find(v, pos + 9))
    text.replace(pos, v.size(), "@VERSION@");
  return text;
}

inline std::string golden_path(const std::string& name) {
  return std::string(VANTAGE_SOURCE_DIR) + "/tests/data/reports/" + name;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compares against tests/data/reports/NAME; VANTAGE_UPDATE_GOLDEN=1 rewrites
// the golden instead (then review the diff before committing).
inline std::string golden_mismatch(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (const char* u = std::getenv("VANTAGE_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return "";
  }
  std::string expected = read_file(path);
  if (expected == actual) return "";
  std::size_t i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
  return "differs from " + path + " at byte " + std::to_string(i) + ":\n--- expected\n" +
         expected.substr(i > 80 ? i - 80 : 0, 240) + "\n--- actual\n" +
         actual.substr(i > 80 ? i - 80 : 0, 240);
}

}  // namespace vantage::reports::testing
