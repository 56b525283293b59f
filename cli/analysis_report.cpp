#include "cli/analysis_report.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "capture/flow_report.hpp"
#include "cli/report_options.hpp"
#include "core/plural.hpp"
#include "core/text.hpp"
#include "reports/console.hpp"

namespace vantage::cli {

namespace {

using results::Status;
using results::Verdict;

// What the analysis saw for one check: its findings' messages, and the
// evidence (capture::to_json). unknowns: why the input is not verified.
struct AnalysisObservation final : results::Observation {
  std::vector<results::Finding> findings;
  json data;
  json evidence() const override { return data; }
};

// One check of an analysis. It owns its CheckCommon, so the CheckResult's
// check pointer lives as long as the result holds the spec.
class AnalysisCheck final : public results::CheckSpec {
 public:
  // `expect` is what a clean input shows: "none" (findings), "verified".
  AnalysisCheck(std::string id, std::string severity, std::string description, std::string clean,
                std::string expect = "none")
      : clean_(std::move(clean)), expect_(std::move(expect)) {
    common.id = std::move(id);
    common.probe = "capture";
    common.severity = std::move(severity);
    common.description = std::move(description);
  }
  Verdict judge(const results::Observation& obs) const override {
    const auto& o = static_cast<const AnalysisObservation&>(obs);
    if (o.findings.empty()) return {Status::kPass, clean_, expect_, expect_};
    std::string msg = o.findings.front().text;
    if (o.findings.size() > 1) msg += fmt::format(" (and {} more)", o.findings.size() - 1);
    return {Status::kFail, msg, expect_, counted(o.findings.size(), "finding"), o.findings};
  }
  json expected() const override { return expect_; }
  results::CheckCommon common;

 private:
  std::string clean_, expect_;
};

struct Kind {
  const char* id;
  const char* severity;  // of the check; each finding keeps its own
  const char* description;
  const char* clean;
};
constexpr Kind kKinds[] = {
    {"credential-exposure", "critical", "no credential crosses the network readable",
     "no credential seen in the clear"},
    {"plaintext-api", "high", "no client speaks the RouterOS API in plaintext",
     "no plaintext RouterOS API seen"},
    {"non-tls-on-tls-port", "medium", "only TLS on the API-SSL ports",
     "only TLS seen on the TLS ports"},
};

std::vector<std::string> all_unverified(const capture::AnalysisResult& r, const AnalysisRun& run) {
  auto why = r.unverified();
  why.insert(why.end(), run.unverified.begin(), run.unverified.end());
  return why;
}

results::CheckResult check_result(std::shared_ptr<const AnalysisCheck> spec,
                                  std::shared_ptr<AnalysisObservation> obs,
                                  const std::string& target, const AnalysisRun& run) {
  results::CheckResult cr;
  cr.check = &spec->common;
  cr.target = target;
  cr.verdict = results::decide(*spec, *obs);
  cr.observation = std::move(obs);
  cr.spec = std::move(spec);
  cr.started = run.started;
  cr.elapsed = run.elapsed;
  return cr;
}

}  // namespace

std::vector<std::uint16_t> port_list(const boost::program_options::variables_map& vm,
                                     const char* key, std::vector<std::uint16_t> fallback) {
  if (!vm.count(key)) return fallback;
  std::vector<std::uint16_t> out;
  for (int p : vm[key].as<std::vector<int>>()) {
    if (p < 1 || p > 65535)
      throw UsageError(std::string("--") + key + ": not a TCP port: " + std::to_string(p));
    out.push_back(static_cast<std::uint16_t>(p));
  }
  return out;
}

results::RunReport analysis_report(const capture::AnalysisResult& r, const AnalysisRun& run) {
  const auto unverified = all_unverified(r, run);
  std::string target;
  for (const auto& s : r.sources) target += (target.empty() ? "" : ", ") + s.name;
  if (target.empty()) target = "capture";

  results::ScenarioResult sc;
  sc.name = run.command;
  sc.targets = {target};
  for (const auto& k : kKinds) {
    auto obs = std::make_shared<AnalysisObservation>();
    obs->data = {{"findings", json::array()}};
    for (const auto& f : r.findings) {
      if (f.kind != k.id) continue;
      // The record: the user whose login was exposed, else the flow.
      obs->findings.push_back({capture::kind_words(f.kind),
                               f.user.empty() ? fmt::format("flow {}", f.flow_id) : f.user, "",
                               f.message});
      obs->data["findings"].push_back(capture::to_json(f, r));
    }
    obs->summary = counted(obs->findings.size(), "finding");
    obs->unknowns = unverified;
    auto spec = std::make_shared<const AnalysisCheck>(k.id, k.severity, k.description, k.clean);
    sc.results.push_back(check_result(std::move(spec), std::move(obs), target, run));
  }
  auto all = std::make_shared<AnalysisObservation>();
  all->data = capture::to_json(r);
  all->unknowns = unverified;
  all->summary = counted(r.packets, "packet") + ", " + counted(r.flows_total, "flow");
  auto spec = std::make_shared<const AnalysisCheck>(
      "capture-verified", "high", "every frame of the input was decoded",
      fmt::format("every frame decoded: {} from {}, {}", counted(r.packets, "packet"),
                  counted(r.sources.size(), "source"), counted(r.flows_total, "TCP flow")),
      "verified");
  sc.results.push_back(check_result(std::move(spec), std::move(all), target, run));

  results::RunReport report;
  report.scenarios.push_back(std::move(sc));
  report.started = run.started;
  report.elapsed = run.elapsed;
  for (const auto& p : run.pcaps) report.artifacts.push_back({"pcap", p});
  return report;
}

ExitCode analysis_exit_code(const capture::AnalysisResult& r, const AnalysisRun& run) {
  return static_cast<ExitCode>(results::exit_code_for(analysis_report(r, run)));
}

ExitCode report_analysis(const capture::AnalysisResult& r, const AnalysisRun& run,
                         const reports::ReportOptions& files, bool console) {
  const auto report = analysis_report(r, run);
  if (console) {
    for (const auto& u : run.unverified)
      std::cout << "could not verify: " << terminal_safe(u) << "\n";
    std::cout << "\n" << reports::render_console(report, files.render.color);
  }
  if (console) {
    write_report_files(report, files);
  } else {
    reports::write_reports(report, files);
  }
  return static_cast<ExitCode>(results::exit_code_for(report));
}

}  // namespace vantage::cli
