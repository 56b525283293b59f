#include "reports/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace vantage::reports {
namespace {

struct Group {
  std::string kind;
  std::vector<std::string> items;                       // distinct, first-seen order
  std::vector<std::pair<std::string, int>> categories;  // first-seen order, then sorted
  bool categorised = false;
};

std::string list_with_ellipsis(const std::vector<std::string>& parts, std::size_t max_parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < max_parts; ++i) out += (i ? ", " : "") + parts[i];
  if (parts.size() > max_parts) out += ", ...";
  return out;
}

}  // namespace

std::string collapse_findings(const std::vector<results::Finding>& findings,
                              std::size_t max_parts) {
  std::vector<Group> groups;
  std::set<std::pair<std::string, std::string>> seen;  // kind, item
  for (const auto& f : findings) {
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const Group& x) { return x.kind == f.kind; });
    if (g == groups.end()) g = groups.insert(groups.end(), Group{f.kind, {}, {}, false});
    if (!seen.insert({f.kind, f.item}).second) continue;
    g->items.push_back(f.item);
    if (f.category.empty()) continue;
    g->categorised = true;
    auto c = std::find_if(g->categories.begin(), g->categories.end(),
                          [&](const auto& x) { return x.first == f.category; });
    if (c == g->categories.end())
      g->categories.emplace_back(f.category, 1);
    else
      ++c->second;
  }
  std::string out;
  for (auto& g : groups) {
    if (!out.empty()) out += "; ";
    if (g.categorised) {
      // Largest first; ties keep first-seen order.
      std::stable_sort(g.categories.begin(), g.categories.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      std::vector<std::string> parts;
      for (const auto& [name, n] : g.categories) parts.push_back(fmt::format("{} {}", name, n));
      out += fmt::format("{} {}: {}", g.items.size(), g.kind, list_with_ellipsis(parts, max_parts));
    } else if (g.items.size() <= max_parts) {
      out += list_with_ellipsis(g.items, max_parts) + " " + g.kind;
    } else {
      out +=
          fmt::format("{} {}: {}", g.items.size(), g.kind, list_with_ellipsis(g.items, max_parts));
    }
  }
  return out;
}

}  // namespace vantage::reports
