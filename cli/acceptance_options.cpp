#include "cli/acceptance_options.hpp"

#include "core/error.hpp"

namespace vantage::cli {

namespace po = boost::program_options;

void add_acceptance_options(po::options_description& od) {
  od.add_options()("fail-on", po::value<std::string>(),
                   "exit 1 only for failures of this severity or above: critical, high, medium, "
                   "low or info (default: any failure; errors always exit 2)")(
      "baseline", po::value<std::string>(),
      "compare with an earlier run's JSON report: new failures, fixed, still failing, ...")(
      "fail-on-new", "exit 1 only for failures that are new against --baseline")(
      "waivers", po::value<std::string>(),
      "a waiver file (docs/waivers.schema.json): failures it accepts are reported as waived");
}

AcceptanceSettings read_acceptance_settings(const po::variables_map& vm) {
  AcceptanceSettings s;
  if (vm.count("fail-on")) {
    s.gate.fail_on = vm["fail-on"].as<std::string>();
    if (results::severity_rank(s.gate.fail_on) < 0)
      throw UsageError("--fail-on takes critical, high, medium, low or info, not '" +
                       s.gate.fail_on + "'");
  }
  s.gate.fail_on_new = vm.count("fail-on-new") > 0;
  if (s.gate.fail_on_new && !vm.count("baseline"))
    throw UsageError("--fail-on-new needs --baseline REPORT.json to know what is new");
  if (vm.count("baseline")) s.baseline = results::load_snapshot(vm["baseline"].as<std::string>());
  if (vm.count("waivers")) {
    s.waivers = results::load_waivers(vm["waivers"].as<std::string>());
    s.has_waivers = true;
  }
  return s;
}

void apply_acceptance(results::RunReport& report, const AcceptanceSettings& s) {
  if (s.has_waivers) results::apply_waivers(report, s.waivers, results::utc_today());
  if (s.baseline) results::apply_baseline(report, *s.baseline);
  report.gate = s.gate;
}

}  // namespace vantage::cli
