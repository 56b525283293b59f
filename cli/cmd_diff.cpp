#include <iostream>

#include "cli/acceptance_options.hpp"
#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "core/plural.hpp"
#include "reports/changes.hpp"

namespace vantage::cli {

// Two reports, no traffic: exit 1 when AFTER has a failure BEFORE did not
// (waived ones excepted; with --fail-on, of that severity or above).
int cmd_diff(const Args& args) {
  po::options_description od("diff options");
  od.add_options()("before", po::value<std::string>(), "the baseline's JSON report")(
      "after", po::value<std::string>(), "the later run's JSON report")(
      "fail-on", po::value<std::string>(), "count only new failures of this severity or above");
  po::positional_options_description pos;
  pos.add("before", 1).add("after", 1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm, "vantage diff BEFORE.json AFTER.json [--fail-on SEVERITY]"))
    return 0;
  if (!vm.count("before") || !vm.count("after"))
    throw UsageError("name two JSON reports: the baseline, then the later run");
  std::string fail_on;
  if (vm.count("fail-on")) {
    fail_on = vm["fail-on"].as<std::string>();
    if (results::severity_rank(fail_on) < 0)
      throw UsageError("--fail-on takes critical, high, medium, low or info");
  }
  const auto before = results::load_snapshot(vm["before"].as<std::string>());
  const auto after = results::load_snapshot(vm["after"].as<std::string>());
  const auto d = results::diff(before, after);
  std::cout << reports::render_changes(d, before.file);
  int gating = 0;
  for (const auto& e : d.entries) {
    const bool is_new =
        e.change == results::Change::kNewFailure ||
        (e.change == results::Change::kNewCheck && e.after == results::Status::kFail);
    const int rank = results::severity_rank(e.severity);
    if (is_new && e.after == results::Status::kFail &&
        (fail_on.empty() || rank < 0 || rank >= results::severity_rank(fail_on)))
      ++gating;
  }
  std::cout << "exit " << (gating ? 1 : 0) << ": " << counted(gating, "new failure")
            << (fail_on.empty() ? "" : " at or above --fail-on " + fail_on) << "\n";
  return static_cast<int>(gating ? ExitCode::kFail : ExitCode::kPass);
}

}  // namespace vantage::cli
