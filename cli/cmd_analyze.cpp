// vantage analyze FILE...: offline flow analysis of pcap/pcapng files.
#include <chrono>
#include <iostream>

#include "capture/flow_report.hpp"
#include "capture/offline.hpp"
#include "cli/analysis_report.hpp"
#include "cli/commands.hpp"
#include "cli/report_options.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace vantage::cli {

int cmd_analyze(const Args& args) {
  po::options_description od("analyze options");
  od.add_options()("file", po::value<std::vector<std::string>>(), "pcap or pcapng file(s)")(
      "api-port", po::value<std::vector<int>>(),
      "plaintext API service port (repeatable; default 8728)")(
      "tls-port", po::value<std::vector<int>>(), "API-SSL service port (repeatable; default 8729)")(
      "all-flows", "list every flow on the console, not only API and TLS ones")(
      "quiet,q", "print nothing on the console");
  add_report_options(od);
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm,
                  "vantage analyze FILE... [--api-port N]... [--tls-port N]... [--report-dir D] "
                  "[--json F] [--junit F] [--html F]\n\nReads pcap/pcapng files and reports every "
                  "plaintext RouterOS "
                  "API flow, exposed credential (RouterOS /login, HTTP Authorization) and TLS "
                  "handshake.\nExit 1 on plaintext API or an exposed credential, 2 when the "
                  "input could not be verified (not read completely, a link type or frames that "
                  "could not be decoded, API-port flows with bytes missing), 0 otherwise.")) {
    return 0;
  }
  if (!vm.count("file")) throw UsageError("analyze needs at least one pcap or pcapng file");
  const auto files = vm["file"].as<std::vector<std::string>>();
  capture::AnalyzerOptions opts;
  opts.api_ports = port_list(vm, "api-port", opts.api_ports);
  opts.tls_ports = port_list(vm, "tls-port", opts.tls_ports);
  AnalysisRun run{"vantage analyze", files, std::chrono::system_clock::now(), {}, {}};
  const auto t0 = std::chrono::steady_clock::now();
  const capture::AnalysisResult r = capture::analyze_files(files, opts);
  run.elapsed = std::chrono::steady_clock::now() - t0;
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet) {
    capture::write_console(std::cout, r, vm.count("all-flows") > 0);
  } else if (!r.exposure()) {
    // The reason for exit 2 is printed even when quiet.
    for (const auto& u : r.unverified())
      std::cerr << "could not verify: " << terminal_safe(u) << "\n";
  }
  return static_cast<int>(report_analysis(r, run, read_report_options(vm), !quiet));
}

}  // namespace vantage::cli
