#include <iostream>

#include "cli/commands.hpp"
#include "cli/report_options.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "fleet/merge.hpp"
#include "reports/console.hpp"

namespace vantage::cli {

// The shards' JSON reports in, the fleet's report out, in every format `run`
// writes; no traffic. Exit as a run of the whole fleet would, or 2 with
// shards missing.
int cmd_merge(const Args& args) {
  po::options_description od("merge options");
  add_report_options(od);
  od.add_options()("quiet,q", "print only the summary line")(
      "shard-report", po::value<std::vector<std::string>>(), "the shards' JSON reports");
  po::positional_options_description pos;
  pos.add("shard-report", -1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm, "vantage merge REPORT.json... [--report-dir DIR] [options]"))
    return 0;
  if (!vm.count("shard-report"))
    throw UsageError("name the shards' JSON reports (each shard's report.json)");
  auto options = read_report_options(vm);
  options.render.quiet = vm.count("quiet") > 0;
  std::vector<reports::ReadReport> shards;
  std::vector<Diagnostic> problems;
  for (const auto& f : vm["shard-report"].as<std::vector<std::string>>()) {
    try {
      shards.push_back(reports::load_json_report(f));
    } catch (const ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw ConfigError(problems);
  const auto merged = fleet::merge_shards(std::move(shards));
  std::cout << reports::console_text(merged.report, options.render);
  write_report_files(merged.report, options);
  if (const auto& f = merged.report.fleet; f && !f->missing_shards.empty()) {
    std::string ks;
    for (int k : f->missing_shards) ks += (ks.empty() ? "" : ", ") + std::to_string(k);
    std::cerr << "vantage: merge: shard(s) " << ks << " of " << f->shards
              << " missing; run them or give their reports\n";
  }
  return results::exit_code_for(merged.report);
}

}  // namespace vantage::cli
