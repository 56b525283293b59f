// Fleet inventories (fleet/inventory.hpp), every format: the first byte picks
// the file name (.csv, .json, .yml, or an Ansible INI "hosts"), the rest is
// the file. A located ConfigError is the only acceptable failure; what parses
// must hold what every format promises, and --limit and --shard must keep
// every target exactly once.
#include <cstdlib>
#include <set>
#include <string>

#include "core/error.hpp"
#include "fleet/inventory.hpp"
#include "fleet/select.hpp"
#include "fuzz_support.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  static const char* const kFiles[] = {"fleet.csv", "fleet.json", "fleet.yml", "hosts"};
  const std::string file = kFiles[in.byte() % 4];
  const std::string text = fuzz::as_string(in.rest());
  fleet::Inventory inv;
  try {
    inv = fleet::parse_inventory(file, text);
  } catch (const ConfigError& e) {
    if (std::string(e.what()).find(file) == std::string::npos) std::abort();  // not located
    return 0;
  }
  std::set<std::string> names;
  for (const auto& t : inv.targets) {
    if (t.name.empty() || t.host.empty()) std::abort();
    if (!names.insert(t.name).second) std::abort();  // names are unique
    if (t.at.line < 0 || t.at.column < 0) std::abort();
    if (!std::is_sorted(t.groups.begin(), t.groups.end())) std::abort();
  }
  const auto all = fleet::limit(inv, {});
  if (all.size() != inv.targets.size()) std::abort();
  // Three shards: every target in exactly one, in inventory order.
  std::size_t seen = 0;
  for (int k = 1; k <= 3; ++k) {
    const auto part = fleet::shard_targets(all, {k, 3});
    for (std::size_t i = 1; i < part.size(); ++i)
      if (part[i].index <= part[i - 1].index) std::abort();
    for (const auto& s : part)
      if (fleet::shard_of(s.target->name, 3) != k) std::abort();
    seen += part.size();
  }
  if (seen != all.size()) std::abort();
  // A group named in the file selects a subset, never a target twice.
  for (const auto& g : inv.groups) {
    try {
      const auto sub = fleet::limit(inv, {g});
      std::set<int> idx;
      for (const auto& s : sub)
        if (!idx.insert(s.index).second) std::abort();
    } catch (const UsageError&) {
      // a group name with a comma is split by --limit: it may name nothing
    }
  }
  (void)fleet::targets_fingerprint(all);
  return 0;
}
