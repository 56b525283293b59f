#include "reports/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "core/plural.hpp"

namespace vantage::reports {
namespace {

struct Group {
  std::string kind;
  bool info = false;
  std::vector<std::string> items;                       // distinct, first-seen order
  std::vector<std::pair<std::string, int>> categories;  // first-seen order, then sorted
  std::size_t count = 0;                                // distinct findings
};

std::string list_with_ellipsis(const std::vector<std::string>& parts, std::size_t max_parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < max_parts; ++i) out += (i ? ", " : "") + parts[i];
  if (parts.size() > max_parts) out += ", ...";
  return out;
}

std::string group_text(Group& g, std::size_t max_parts) {
  std::string out = counted(g.count, g.kind);
  if (!g.categories.empty()) {
    // Largest first; ties keep first-seen order.
    std::stable_sort(g.categories.begin(), g.categories.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> parts;
    for (const auto& [name, n] : g.categories) parts.push_back(fmt::format("{} {}", name, n));
    return out + ": " + list_with_ellipsis(parts, max_parts);
  }
  if (g.items.empty()) return out;
  return out + ": " + list_with_ellipsis(g.items, max_parts);
}

}  // namespace

std::string collapse_findings(const std::vector<results::Finding>& findings,
                              std::size_t max_parts) {
  if (findings.size() == 1) return findings.front().text;
  std::vector<Group> groups;
  // An item identifies a finding within its kind; without one, its text does.
  std::set<std::tuple<bool, std::string, std::string>> seen;
  for (const auto& f : findings) {
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const Group& x) { return x.kind == f.kind && x.info == f.info; });
    if (g == groups.end()) g = groups.insert(groups.end(), Group{f.kind, f.info, {}, {}, 0});
    if (!seen.insert({f.info, f.kind, f.item.empty() ? "\n" + f.text : f.item}).second) continue;
    ++g->count;
    if (!f.item.empty()) g->items.push_back(f.item);
    if (f.category.empty()) continue;
    auto c = std::find_if(g->categories.begin(), g->categories.end(),
                          [&](const auto& x) { return x.first == f.category; });
    if (c == g->categories.end())
      g->categories.emplace_back(f.category, 1);
    else
      ++c->second;
  }
  std::stable_partition(groups.begin(), groups.end(), [](const Group& g) { return !g.info; });
  std::string out;
  bool noted = false;
  for (auto& g : groups) {
    if (!out.empty()) out += "; ";
    if (g.info && !noted) {
      out += "note: ";
      noted = true;
    }
    out += group_text(g, max_parts);
  }
  return out;
}

bool any_failing(const std::vector<results::Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const results::Finding& f) { return !f.info; });
}

std::string finding_line(const results::Finding& f) {
  std::string out = f.text;
  if (!f.fix.empty()) out += " (fix: " + f.fix + ")";
  if (f.info) out += " [info]";
  return out;
}

}  // namespace vantage::reports
