// vantage analyze FILE...: offline flow analysis of pcap/pcapng files.
#include <iostream>

#include "capture/flow_report.hpp"
#include "capture/offline.hpp"
#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "reports/atomic_write.hpp"

namespace vantage::cli {

namespace {

std::vector<std::uint16_t> ports_or(const po::variables_map& vm, const char* key,
                                    std::vector<std::uint16_t> fallback) {
  if (!vm.count(key)) return fallback;
  std::vector<std::uint16_t> out;
  for (int p : vm[key].as<std::vector<int>>()) {
    if (p < 1 || p > 65535)
      throw UsageError(std::string("--") + key + ": not a TCP port: " + std::to_string(p));
    out.push_back(static_cast<std::uint16_t>(p));
  }
  return out;
}

}  // namespace

// Exit (DESIGN.md): 1 plaintext API or an exposed credential; 2 the input
// could not prove the opposite (nothing read, a file cut short, a link type
// or frames that could not be decoded, API-port flows with bytes missing);
// 0 only for a fully decoded, clean input.
int analysis_exit_code(const capture::AnalysisResult& r) {
  if (r.exposure()) return 1;
  if (!r.unverified().empty()) return 2;
  return 0;
}

void write_analysis_reports(const capture::AnalysisResult& r, const po::variables_map& vm,
                            const std::string& suite, const std::vector<std::string>& pcaps) {
  if (vm.count("json")) {
    // Records hold valid UTF-8 already; `replace` keeps one missed string
    // from losing the whole report.
    reports::write_file_atomic(
        vm["json"].as<std::string>(),
        capture::to_json(r).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  }
  if (vm.count("junit")) {
    reports::write_file_atomic(vm["junit"].as<std::string>(), capture::junit_xml(r, suite, pcaps));
  }
}

int cmd_analyze(const Args& args) {
  po::options_description od("analyze options");
  od.add_options()("file", po::value<std::vector<std::string>>(), "pcap or pcapng file(s)")(
      "api-port", po::value<std::vector<int>>(),
      "plaintext API service port (repeatable; default 8728)")(
      "tls-port", po::value<std::vector<int>>(), "API-SSL service port (repeatable; default 8729)")(
      "json", po::value<std::string>(), "write the flow report as JSON to this file")(
      "junit", po::value<std::string>(), "write a JUnit XML report to this file")(
      "all-flows", "list every flow on the console, not only API and TLS ones")(
      "quiet,q", "print nothing on the console");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm,
                  "vantage analyze FILE... [--api-port N]... [--tls-port N]... [--json F] "
                  "[--junit F]\n\nReads pcap/pcapng files and reports every plaintext RouterOS "
                  "API flow, exposed credential (RouterOS /login, HTTP Authorization) and TLS "
                  "handshake.\nExit 1 on plaintext API or an exposed credential, 2 when the "
                  "input could not be verified (not read completely, a link type or frames that "
                  "could not be decoded, API-port flows with bytes missing), 0 otherwise.")) {
    return 0;
  }
  if (!vm.count("file")) throw UsageError("analyze needs at least one pcap or pcapng file");
  const auto files = vm["file"].as<std::vector<std::string>>();
  capture::AnalyzerOptions opts;
  opts.api_ports = ports_or(vm, "api-port", opts.api_ports);
  opts.tls_ports = ports_or(vm, "tls-port", opts.tls_ports);
  const capture::AnalysisResult r = capture::analyze_files(files, opts);
  if (!vm.count("quiet")) {
    capture::write_console(std::cout, r, vm.count("all-flows") > 0);
  } else if (!r.exposure()) {
    // The reason for exit 2 is printed even when quiet.
    for (const auto& u : r.unverified())
      std::cerr << "could not verify: " << terminal_safe(u) << "\n";
  }
  write_analysis_reports(r, vm, "vantage analyze", files);
  return analysis_exit_code(r);
}

}  // namespace vantage::cli
