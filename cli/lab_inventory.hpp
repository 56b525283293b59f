#pragma once
// A running lab fleet as a CSV inventory (fleet/ reads it back with
// `vantage run --inventory`): one row per router with its address, its name
// as the certificate carries it, its variant as a group, and its ports.
#include <string>
#include <vector>

#include "lab/fleet.hpp"

namespace vantage::cli {

// `variants`: the config names router i took (i mod size); `ca_file`: the
// written lab CA, or empty for no ca_file column.
std::string fleet_inventory_csv(const lab::Fleet& fleet, const std::vector<std::string>& variants,
                                const std::string& ca_file);

}  // namespace vantage::cli
