#include <iostream>

#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/plural.hpp"
#include "net/source.hpp"

namespace vantage::cli {

int cmd_validate(const Args& args) {
  po::options_description od("validate options");
  add_var_options(od);
  add_fleet_options(od);
  od.add_options()("scenario", po::value<std::vector<std::string>>(), "scenario file(s)");
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  if (!parse_args(
          args, od, &pos, vm,
          "vantage validate SCENARIO... [--var NAME=VALUE] [--inventory FILE [--limit GROUP]]"))
    return 0;
  std::vector<std::string> files;
  if (vm.count("scenario")) files = vm["scenario"].as<std::vector<std::string>>();
  const auto vars = read_vars(vm);
  std::vector<scenarios::Scenario> plan;
  if (auto fleet = read_fleet(vm, files, vars, {}, plan)) {
    // Every scenario for every target: each target's vars are validated too.
    for (std::size_t i = 0; i < fleet->heads.size(); ++i) {
      std::size_t runs = 0;
      for (std::size_t j = 0; j < fleet->targets; ++j)
        for (const auto& c : plan[i * fleet->targets + j].checks)
          runs += std::max<std::size_t>(1, c.common.from.size());
      std::cout << fleet->heads[i].file << ": ok: \"" << fleet->heads[i].name << "\" for "
                << fleet->targets << " target(s) of " << fleet->info.inventory << " = " << runs
                << " probe run(s)\n";
    }
    return 0;
  }
  plan = load_all(files, vars);
  for (const auto& sc : plan) {
    std::size_t runs = 0;
    for (const auto& c : sc.checks) runs += std::max<std::size_t>(1, c.common.from.size());
    std::cout << sc.file << ": ok: \"" << sc.name << "\", " << counted(sc.checks.size(), "check")
              << " x " << counted(sc.targets.size(), "target") << " = "
              << counted(runs * sc.targets.size(), "probe run") << "\n";
  }
  return 0;
}

}  // namespace vantage::cli
