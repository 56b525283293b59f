#include <iostream>

#include "cli/commands.hpp"
#include "cli/run_common.hpp"

namespace vantage::cli {

int cmd_schema(const Args& args) {
  po::options_description od("schema options");
  po::variables_map vm;
  if (!parse_args(args, od, nullptr, vm, "vantage schema > scenarios/schema.json")) return 0;
  std::cout << scenarios::scenario_schema().dump(2) << "\n";
  return 0;
}

}  // namespace vantage::cli
