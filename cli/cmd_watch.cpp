// vantage watch --interface IF: passive monitoring of real traffic (e.g. a
// SPAN port in front of a router) until a duration ends or SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <regex>

#include "capture/flow_report.hpp"
#include "capture/live_capture.hpp"
#include "capture/pcap_handle.hpp"
#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"

namespace vantage::cli {

int analysis_exit_code(const capture::AnalysisResult& r);
void write_analysis_reports(const capture::AnalysisResult& r, const po::variables_map& vm,
                            const std::string& suite, const std::vector<std::string>& pcaps);

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

std::vector<std::uint16_t> ports_of(const po::variables_map& vm, const char* key,
                                    std::vector<std::uint16_t> fallback) {
  if (!vm.count(key)) return fallback;
  std::vector<std::uint16_t> out;
  for (int p : vm[key].as<std::vector<int>>()) {
    if (p < 1 || p > 65535) throw UsageError(std::string("--") + key + ": not a TCP port");
    out.push_back(static_cast<std::uint16_t>(p));
  }
  return out;
}

// Blocks SIGINT/SIGTERM in this thread (and threads started after it) so
// that they are received with sigtimedwait, not delivered as a crash; restores
// the mask on scope exit.
class SignalBlock {
 public:
  SignalBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_{}, old_{};
};

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
      "json", po::value<std::string>(), "write the flow report as JSON to this file")(
      "junit", po::value<std::string>(), "write a JUnit XML report to this file")(
      "all-flows", "list every flow on the console")("quiet,q", "print only the report");
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
  ao.api_ports = ports_of(vm, "api-port", ao.api_ports);
  ao.tls_ports = ports_of(vm, "tls-port", ao.tls_ports);

  SignalBlock signals;  // before the capture thread starts, so it inherits the mask
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
  std::vector<std::string> pcaps;
  if (!lc.file.empty()) pcaps.push_back(lc.file);
  capture::write_console(std::cout, res.analysis, vm.count("all-flows") > 0);
  if (res.counters) {
    std::cout << "capture: " << res.counters->received << " received, " << res.counters->dropped
              << " dropped by the kernel\n";
  }
  write_analysis_reports(res.analysis, vm, "vantage watch", pcaps);
  if (!res.error.empty()) throw Error("capture failed: " + res.error);
  const int code = analysis_exit_code(res.analysis);  // 2 also when nothing was seen
  if (code == 0 && res.counters && res.counters->dropped > 0) {
    std::cout << "could not verify: the kernel dropped " << res.counters->dropped << " packet(s)\n";
    return 2;
  }
  if (code == 0 && !res.counters) {
    std::cout << "could not verify: the capture's drop counter could not be read\n";
    return 2;
  }
  return code;
}

}  // namespace vantage::cli
