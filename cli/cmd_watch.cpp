// vantage watch --interface IF: passive monitoring of real traffic (e.g. a
// SPAN port in front of a router) until a duration ends or SIGINT/SIGTERM.
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <regex>

#include "capture/flow_report.hpp"
#include "capture/live_capture.hpp"
#include "capture/pcap_handle.hpp"
#include "cli/analysis_report.hpp"
#include "cli/commands.hpp"
#include "cli/report_options.hpp"
#include "cli/run_common.hpp"
#include "cli/signals.hpp"
#include "core/error.hpp"
#include "core/plural.hpp"

namespace vantage::cli {

namespace {

// "90", "90s", "500ms", "5m", "1h".
std::chrono::milliseconds parse_duration(const std::string& s) {
  static const std::regex re(R"(^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$)");
  std::smatch m;
  if (!std::regex_match(s, m, re))
    throw UsageError("--duration: expected e.g. 30s, 500ms, 5m or 1h, got \"" + s + "\"");
  const double n = std::stod(m[1]);
  const std::string unit = m[2].matched ? m[2].str() : "s";
  const double ms = unit == "ms" ? n : unit == "s" ? n * 1e3 : unit == "m" ? n * 6e4 : n * 3.6e6;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace

int cmd_watch(const Args& args) {
  po::options_description od("watch options");
  od.add_options()("interface,i", po::value<std::string>()->default_value("any"),
                   "interface to capture on (\"any\" for all)")(
      "netns", po::value<std::string>(), "capture inside this network namespace")(
      "duration,d", po::value<std::string>(), "stop after this long (30s, 5m); default: Ctrl-C")(
      "pcap", po::value<std::string>(), "also write the packets to this pcap file")(
      "filter", po::value<std::string>(), "BPF filter (default: all TCP)")(
      "api-port", po::value<std::vector<int>>(), "plaintext API port (repeatable; default 8728)")(
      "tls-port", po::value<std::vector<int>>(), "API-SSL port (repeatable; default 8729)")(
      "all-flows", "list every flow on the console")("quiet,q", "print only the report");
  add_report_options(od);
  po::variables_map vm;
  if (!parse_args(args, od, nullptr, vm,
                  "vantage watch --interface IF [--netns NS] [--duration D] [--pcap FILE]\n\n"
                  "Watches live traffic and reports every client speaking the RouterOS API in "
                  "plaintext and every exposed credential.\nRuns until the duration ends or "
                  "Ctrl-C, then writes its report. Exit 1 on plaintext API or a credential.")) {
    return 0;
  }
  std::optional<std::chrono::milliseconds> duration;
  if (vm.count("duration")) duration = parse_duration(vm["duration"].as<std::string>());
  capture::LiveConfig lc;
  lc.interface = vm["interface"].as<std::string>();
  if (vm.count("netns")) lc.netns = vm["netns"].as<std::string>();
  lc.filter = vm.count("filter") ? "tcp and (" + vm["filter"].as<std::string>() + ")" : "tcp";
  if (vm.count("pcap")) lc.file = vm["pcap"].as<std::string>();
  capture::AnalyzerOptions ao;
  ao.api_ports = port_list(vm, "api-port", ao.api_ports);
  ao.tls_ports = port_list(vm, "tls-port", ao.tls_ports);

  SignalBlock signals;  // before the capture thread starts, so it inherits the mask
  AnalysisRun run{"vantage watch", {}, std::chrono::system_clock::now(), {}, {}};
  const auto t0 = std::chrono::steady_clock::now();
  capture::LiveCapture cap(lc, ao);
  cap.start();
  if (!vm.count("quiet")) {
    std::cerr << "watching " << lc.interface << (lc.netns ? " in netns " + *lc.netns : "")
              << (duration ? "" : " until Ctrl-C") << " ...\n";
  }
  const auto until =
      std::chrono::steady_clock::now() + duration.value_or(std::chrono::hours(24 * 365));
  for (;;) {
    const auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
    const long long step = std::min<long long>(ms, 1000);
    timespec ts{static_cast<time_t>(step / 1000), static_cast<long>((step % 1000) * 1000000)};
    const int sig = sigtimedwait(&signals.set(), nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      if (!vm.count("quiet"))
        std::cerr << "stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
      break;
    }
  }
  capture::LiveResult res = cap.finish();
  run.elapsed = std::chrono::steady_clock::now() - t0;
  if (!lc.file.empty()) run.pcaps.push_back(lc.file);
  capture::write_console(std::cout, res.analysis, vm.count("all-flows") > 0);
  if (res.counters) {
    std::cout << "capture: " << res.counters->received << " received, " << res.counters->dropped
              << " dropped by the kernel\n";
    if (res.counters->dropped > 0)
      run.unverified.push_back("the kernel dropped " + counted(res.counters->dropped, "packet"));
  } else {
    run.unverified.push_back("the capture's drop counter could not be read");
  }
  // 2 also when nothing was seen, or when packets may have been missed.
  const ExitCode code = report_analysis(res.analysis, run, read_report_options(vm), true);
  if (!res.error.empty()) throw Error("capture failed: " + res.error);
  return static_cast<int>(code);
}

}  // namespace vantage::cli
