#include "fleet/select.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/json_config.hpp"
#include "results/verdict.hpp"

namespace vantage::fleet {

namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// splitmix64's finaliser: FNV-1a alone barely mixes a last byte that differs
// (the shard number), which would bias the winner.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const std::string help =
      "--shard takes K/N, this job's number and the number of jobs, 1 <= K <= N <= 10000 "
      "(e.g. --shard 2/3; in GitLab --shard $CI_NODE_INDEX/$CI_NODE_TOTAL)";
  if (slash == std::string::npos) throw UsageError(help + ", got '" + text + "'");
  auto k = to_int(std::string_view(text).substr(0, slash));
  auto n = to_int(std::string_view(text).substr(slash + 1));
  if (!k || !n || *n < 1 || *n > 10000 || *k < 1 || *k > *n)
    throw UsageError(help + ", got '" + text + "'");
  return {*k, *n};
}

int shard_of(const std::string& name, int count) {
  int best = 1;
  std::uint64_t best_w = 0;
  const std::uint64_t h = fnv1a(name);
  for (int k = 1; k <= count; ++k) {
    const std::uint64_t w = mix(h ^ mix(static_cast<std::uint64_t>(k)));
    if (k == 1 || w > best_w) best = k, best_w = w;
  }
  return best;
}

std::vector<Selected> limit(const Inventory& inv, const std::vector<std::string>& items) {
  std::vector<std::string> wanted;
  for (const auto& item : items) {
    std::string part;
    for (char c : item + ",") {
      if (c == ',') {
        if (!part.empty()) wanted.push_back(part);
        part.clear();
      } else if (c != ' ') {
        part += c;
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& t : inv.targets) names.push_back(t.name);
  std::set<std::string> groups(inv.groups.begin(), inv.groups.end());
  std::set<std::string> hosts(names.begin(), names.end());
  for (const auto& w : wanted) {
    if (groups.count(w) || hosts.count(w)) continue;
    std::vector<std::string> candidates(inv.groups.begin(), inv.groups.end());
    candidates.insert(candidates.end(), names.begin(), names.end());
    std::string msg = "--limit " + w + ": no group or target of that name in " + inv.file;
    if (auto m = did_you_mean(w, candidates)) msg += "; did you mean " + *m + "?";
    msg += " Groups:";
    for (const auto& g : inv.groups) msg += " " + g;
    throw UsageError(msg);
  }
  std::vector<Selected> out;
  for (const auto& t : inv.targets) {
    bool take = wanted.empty();
    for (const auto& w : wanted)
      take =
          take || w == t.name || std::find(t.groups.begin(), t.groups.end(), w) != t.groups.end();
    if (take) out.push_back({&t, static_cast<int>(out.size())});
  }
  return out;
}

std::vector<Selected> shard_targets(const std::vector<Selected>& targets, const Shard& shard) {
  std::vector<Selected> out;
  for (const auto& s : targets)
    if (shard_of(s.target->name, shard.count) == shard.index) out.push_back(s);
  return out;
}

namespace {
// ansible_password, ansible_become_pass, api_token, ...: an inventory may hold
// secrets vantage never uses. A 64-bit FNV hash in a report is no vault, so
// they stay out of it.
bool secret_like(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* w : {"pass", "secret", "token", "vault", "private"})
    if (name.find(w) != std::string::npos) return true;
  return false;
}
}  // namespace

std::string targets_fingerprint(const std::vector<Selected>& targets) {
  json list = json::array();
  for (const auto& s : targets) {
    json vars = json::object();
    for (const auto& [k, v] : s.target->vars)
      if (!secret_like(k)) vars[k] = v;
    list.push_back({s.target->name, s.target->host, std::move(vars)});
  }
  return results::fingerprint(list.dump());
}

}  // namespace vantage::fleet
