#pragma once
// `vantage analyze` and `vantage watch` after the capture: the analysis as a
// run report (so every report format applies), the console, the files and
// the exit code. One check per finding kind, plus capture-verified:
//
//   credential-exposure, plaintext-api, non-tls-on-tls-port
//       fail when the analysis has findings of that kind (every one of them,
//       capture::to_json, is the evidence); with none, a pass, or an error
//       when the input could not be verified (results::decide, fail closed);
//   capture-verified
//       pass when every frame was decoded, else an error naming why; its
//       evidence is the whole analysis (capture::to_json: sources, summary,
//       findings, flows, problems).
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "capture/flow.hpp"
#include "core/error.hpp"
#include "reports/write_reports.hpp"
#include "results/result.hpp"

namespace vantage::cli {

// --api-port / --tls-port (repeatable): the ports given, else `fallback`.
std::vector<std::uint16_t> port_list(const boost::program_options::variables_map& vm,
                                     const char* key, std::vector<std::uint16_t> fallback);

struct AnalysisRun {
  std::string command;             // "vantage analyze": the report's scenario name
  std::vector<std::string> pcaps;  // input or written pcaps: the report's artifacts
  results::SystemTime started{};
  std::chrono::duration<double> elapsed{};
  // Why the input cannot be verified beyond what the analysis says itself
  // (watch: packets the kernel dropped).
  std::vector<std::string> unverified;
};

results::RunReport analysis_report(const capture::AnalysisResult& r, const AnalysisRun& run);

// 1 (kFail) plaintext API or an exposed credential; 2 (kError) the input
// could not prove the opposite (nothing read, a file cut short, a link type
// or frames that could not be decoded, API-port flows with bytes missing,
// anything in run.unverified); 0 only for a fully decoded, clean input. It is
// results::exit_code_for of the analysis report, the rule `run` uses: a
// failed check (a non-TLS flow on a TLS port too) never exits 0.
ExitCode analysis_exit_code(const capture::AnalysisResult& r, const AnalysisRun& run);

// After the caller's flow listing (capture::write_console): prints
// run.unverified and one line per check (unless !console, analyze --quiet),
// writes the report files, and returns the exit code.
ExitCode report_analysis(const capture::AnalysisResult& r, const AnalysisRun& run,
                         const reports::ReportOptions& files, bool console);

}  // namespace vantage::cli
