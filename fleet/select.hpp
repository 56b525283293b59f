#pragma once
// Which targets of an inventory a run takes: --limit (groups or names) and
// --shard K/N. A shard is chosen by rendezvous (highest random weight)
// hashing of the target's name: each target goes to the shard with the
// highest hash of (name, shard), so a target's shard depends on nothing but
// its own name and N. Adding or removing a router moves no other router;
// going from N to N+1 shards moves only the targets the new shard wins.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fleet/inventory.hpp"

namespace vantage::fleet {

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N
};

// "K/N" with 1 <= K <= N <= 10000; throws UsageError saying what to write.
Shard parse_shard(const std::string& text);

// The shard (1..count) that owns a target name.
int shard_of(const std::string& name, int count);

// A target and its position in the inventory (after --limit): the merge
// puts a fleet's targets back in this order.
struct Selected {
  const InventoryTarget* target = nullptr;
  int index = 0;
};

// --limit: each item (a comma list is split) is a group or a target name;
// the union, in inventory order. Empty: every target. An item that is
// neither throws UsageError naming the groups there are.
std::vector<Selected> limit(const Inventory& inv, const std::vector<std::string>& items);

// The targets of one shard, in inventory order (their indexes kept).
std::vector<Selected> shard_targets(const std::vector<Selected>& targets, const Shard& shard);

// 16 hex digits of the selected list (names, hosts and vars, in order): two
// shards with the same one read the same inventory with the same --limit.
// Variables named like secrets (*pass*, *secret*, *token*, *vault*,
// *private*) are left out: the fingerprint goes into reports.
std::string targets_fingerprint(const std::vector<Selected>& targets);

}  // namespace vantage::fleet
