#include <iostream>

#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "core/plural.hpp"
#include "net/source.hpp"

namespace vantage::cli {

int cmd_validate(const Args& args) {
  po::options_description od("validate options");
  add_var_options(od);
  od.add_options()("scenario", po::value<std::vector<std::string>>(), "scenario file(s)");
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  if (!parse_args(args, od, &pos, vm, "vantage validate SCENARIO... [--var NAME=VALUE]")) return 0;
  std::vector<std::string> files;
  if (vm.count("scenario")) files = vm["scenario"].as<std::vector<std::string>>();
  auto plan = load_all(files, read_vars(vm));
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
