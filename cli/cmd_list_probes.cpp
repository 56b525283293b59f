#include <iostream>

#include "cli/commands.hpp"
#include "cli/run_common.hpp"
#include "probes/probe.hpp"

namespace vantage::cli {

int cmd_list_probes(const Args& args) {
  po::options_description od("list-probes options");
  po::variables_map vm;
  if (!parse_args(args, od, nullptr, vm, "vantage list-probes")) return 0;
  for (const auto* p : probes::registry()) {
    std::string name(p->name());
    name.resize(14, ' ');
    std::cout << name << p->summary() << "\n";
    std::string keys;
    for (const auto& k : p->keys()) keys += (keys.empty() ? "" : ", ") + k;
    std::cout << std::string(14, ' ') << "keys: " << (p->needs_port() ? "port, " : "")
              << (p->uses_sources() ? "from, " : "") << keys << "\n";
  }
  return 0;
}

}  // namespace vantage::cli
