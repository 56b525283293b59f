#include "cli/commands.hpp"
#include "cli/run_common.hpp"

namespace vantage::cli {

int cmd_run(const Args& args) {
  po::options_description od("run options");
  add_run_options(od);
  add_var_options(od);
  add_fleet_options(od);
  od.add_options()("scenario", po::value<std::vector<std::string>>(), "scenario file(s)");
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm, "vantage run SCENARIO... [options]")) return 0;
  std::vector<std::string> files;
  if (vm.count("scenario")) files = vm["scenario"].as<std::vector<std::string>>();
  auto settings = read_run_settings(vm);  // bad flags are usage errors, whatever the files
  const auto vars = read_vars(vm);
  std::vector<scenarios::Scenario> plan;
  if (auto fleet = read_fleet(vm, files, vars, settings.engine, plan))
    return execute(plan, std::move(settings), &*fleet);
  plan = load_all(files, vars);
  return execute(plan, std::move(settings));
}

}  // namespace vantage::cli
