#pragma once
// `vantage wire` flags -> WireConfig. Throws UsageError with the flag's name
// and a valid example for anything it cannot read.
#include <string>
#include <vector>

#include "wire/params.hpp"

namespace vantage::wire {

struct WireOptions {
  WireConfig config;
  bool help = false;
};

WireOptions parse_options(const std::vector<std::string>& args);
std::string usage();  // the --help text

}  // namespace vantage::wire
