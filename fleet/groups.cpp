#include "fleet/groups.hpp"

#include <algorithm>
#include <functional>

namespace vantage::fleet {

bool valid_group_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

void GroupTree::group(const std::string& name, const Location& at) {
  auto [it, fresh] = groups_.try_emplace(name);
  if (fresh) it->second.at = at;
}

void GroupTree::host(const std::string& g, const std::string& name, const VarList& vars,
                     const Location& at) {
  group(g, at);
  auto [it, fresh] = hosts_.try_emplace(name);
  if (fresh) {
    it->second.at = at;
    order_.push_back(name);
  }
  it->second.groups.insert(g);
  for (const auto& [k, v] : vars) it->second.vars[k] = v;
}

void GroupTree::group_vars(const std::string& g, const VarList& vars, const Location& at) {
  group(g, at);
  for (const auto& [k, v] : vars) groups_[g].vars[k] = v;
}

void GroupTree::child(const std::string& parent, const std::string& c, const Location& at) {
  group(parent, at);
  group(c, at);
  auto& p = groups_[parent];
  if (std::find(p.children.begin(), p.children.end(), c) == p.children.end())
    p.children.push_back(c);
  groups_[c].parents.insert(parent);
  child_edges_.emplace_back(parent + " -> " + c, at);
}

Inventory GroupTree::finish(const std::string& format, std::vector<Diagnostic> problems) const {
  Inventory inv;
  inv.file = file_;
  inv.format = format;
  // Depth: "all" is 0; every other group is one below its deepest parent
  // (a group without a parent is a child of "all"). A cycle has no depth.
  std::map<std::string, int> depth;
  std::set<std::string> visiting;
  bool cycle = false;
  std::function<int(const std::string&)> depth_of = [&](const std::string& g) -> int {
    if (g == "all") return 0;
    if (auto it = depth.find(g); it != depth.end()) return it->second;
    if (!visiting.insert(g).second) {
      cycle = true;
      return 0;
    }
    int d = 1;
    for (const auto& p : groups_.at(g).parents) d = std::max(d, depth_of(p) + 1);
    visiting.erase(g);
    return depth[g] = d;
  };
  for (const auto& [name, g] : groups_) {
    cycle = false;
    depth_of(name);
    if (cycle) {
      problems.push_back(problem(g.at, "group " + name +
                                           " is its own ancestor through \"children\"; remove "
                                           "one of the children entries that close the loop"));
      break;
    }
  }
  // Ancestors of a group, itself included.
  std::function<void(const std::string&, std::set<std::string>&)> up =
      [&](const std::string& g, std::set<std::string>& out) {
        if (!out.insert(g).second) return;
        for (const auto& p : groups_.at(g).parents) up(p, out);
      };
  for (const auto& [name, g] : groups_) inv.groups.push_back(name);
  if (problems.empty()) {
    for (const auto& name : order_) {
      const Host& h = hosts_.at(name);
      std::set<std::string> all;
      for (const auto& g : h.groups) up(g, all);
      std::vector<std::string> by_depth(all.begin(), all.end());
      std::stable_sort(
          by_depth.begin(), by_depth.end(),
          [&](const std::string& a, const std::string& b) { return depth_of(a) < depth_of(b); });
      InventoryTarget t;
      t.name = name;
      t.at = h.at;
      if (auto it = groups_.find("all"); it != groups_.end()) t.vars = it->second.vars;
      for (const auto& g : by_depth)
        for (const auto& [k, v] : groups_.at(g).vars) t.vars[k] = v;
      for (const auto& [k, v] : h.vars) t.vars[k] = v;
      auto ah = t.vars.find("ansible_host");
      t.host = ah != t.vars.end() ? ah->second : name;
      t.groups.assign(all.begin(), all.end());
      inv.targets.push_back(std::move(t));
    }
  }
  finish_inventory(inv, std::move(problems));
  return inv;
}

}  // namespace vantage::fleet
