#include "fleet/merge.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"

namespace vantage::fleet {

namespace {

std::string shard_name(const results::FleetInfo& f) {
  return std::to_string(f.shard) + "/" + std::to_string(f.shards);
}

// The first shard's value of a field that every shard must share, or a
// UsageError naming both files and both values.
template <typename Get>
void same(const std::vector<reports::ReadReport>& shards, const std::string& what, Get get) {
  const auto& first = shards.front();
  for (const auto& s : shards) {
    if (get(*s.report.fleet) == get(*first.report.fleet)) continue;
    throw UsageError("shards of different runs: " + first.file + " has " + what + " " +
                     get(*first.report.fleet) + ", " + s.file + " has " + get(*s.report.fleet) +
                     "; merge only the shards of one run (same inventory, --limit, scenarios, "
                     "--var values and N)");
  }
}

// Warnings a shard gives about a waiver that matched nothing there may be
// matched in another shard: keep those only when every shard gave them.
bool shard_dependent(const std::string& w) {
  return w.find("matches no result") != std::string::npos ||
         w.find("waives nothing") != std::string::npos;
}

}  // namespace

MergedReport merge_shards(std::vector<reports::ReadReport> shards) {
  if (shards.empty()) throw UsageError("name the shards' JSON reports (report.json of each)");
  for (const auto& s : shards)
    if (!s.report.fleet || s.report.fleet->shard < 1)
      throw UsageError(s.file +
                       " is not a shard's report: run each shard with vantage run "
                       "--inventory FILE --shard K/N --json FILE (or --report-dir)");
  same(shards, "inventory fingerprint",
       [](const results::FleetInfo& f) { return f.targets_fingerprint; });
  same(shards, "target count",
       [](const results::FleetInfo& f) { return std::to_string(f.inventory_targets); });
  same(shards, "scenario fingerprint",
       [](const results::FleetInfo& f) { return f.scenario_fingerprint; });
  same(shards, "shard count N",
       [](const results::FleetInfo& f) { return std::to_string(f.shards); });
  for (const auto& s : shards) {
    const auto& g0 = shards.front().report.gate;
    const auto& g = s.report.gate;
    if (g.fail_on != g0.fail_on || g.fail_on_new != g0.fail_on_new)
      throw UsageError("shards of different runs: " + shards.front().file + " and " + s.file +
                       " were gated differently (--fail-on, --fail-on-new)");
    if (s.report.scenarios.size() != shards.front().report.scenarios.size())
      throw UsageError("shards of different runs: " + shards.front().file + " and " + s.file +
                       " ran a different number of scenarios");
  }

  // One report per shard index; the same index twice is an error naming both.
  std::map<int, const reports::ReadReport*> by_index;
  for (const auto& s : shards) {
    auto [it, fresh] = by_index.emplace(s.report.fleet->shard, &s);
    if (!fresh)
      throw UsageError("shard " + shard_name(*s.report.fleet) + " given twice: " +
                       it->second->file + " and " + s.file + "; give each shard's report once");
  }
  const int n = shards.front().report.fleet->shards;

  MergedReport out;
  auto& rep = out.report;
  results::FleetInfo fleet = *shards.front().report.fleet;
  fleet.shard = 0;
  fleet.selected.clear();
  fleet.merged_from.clear();
  for (int k = 1; k <= n; ++k)
    if (!by_index.count(k)) fleet.missing_shards.push_back(k);

  // Targets back in inventory order: each shard knows its targets' indexes.
  std::map<std::string, int> index_of;
  std::set<int> taken;
  for (const auto& [k, s] : by_index) {
    fleet.merged_from.push_back(s->file);
    for (const auto& t : s->report.fleet->selected) {
      if (!taken.insert(t.index).second || index_of.count(t.name))
        throw UsageError("target " + t.name + " is in two shards (" + s->file +
                         " and another); these shards were not cut from one run");
      index_of[t.name] = t.index;
      fleet.selected.push_back(t);
    }
  }
  std::sort(fleet.selected.begin(), fleet.selected.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  auto order = [&](const std::string& target) {
    auto it = index_of.find(target);
    return it == index_of.end() ? static_cast<int>(index_of.size()) : it->second;
  };

  const auto& first = shards.front().report;
  bool have_time = false;
  results::SystemTime start{}, end{};
  for (std::size_t si = 0; si < first.scenarios.size(); ++si) {
    results::ScenarioResult s;
    s.file = first.scenarios[si].file;
    s.name = first.scenarios[si].name;
    s.fingerprint = first.scenarios[si].fingerprint;
    for (const auto& [k, sh] : by_index) {
      const auto& theirs = sh->report.scenarios[si];
      if (theirs.fingerprint != s.fingerprint)
        throw UsageError("shards of different runs: scenario " + s.name + " differs between " +
                         shards.front().file + " and " + sh->file);
      s.targets.insert(s.targets.end(), theirs.targets.begin(), theirs.targets.end());
      s.results.insert(s.results.end(), theirs.results.begin(), theirs.results.end());
    }
    std::stable_sort(s.targets.begin(), s.targets.end(),
                     [&](const auto& a, const auto& b) { return order(a) < order(b); });
    std::stable_sort(s.results.begin(), s.results.end(), [&](const auto& a, const auto& b) {
      return order(a.target) < order(b.target);
    });
    rep.scenarios.push_back(std::move(s));
  }

  std::map<std::string, int> warning_count;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> present;
  for (const auto& s : rep.scenarios)
    for (const auto& r : s.results) present.insert({s.name, r.target, r.source, r.check->id});
  for (const auto& [k, sh] : by_index) {
    const auto& r = sh->report;
    const auto r_end =
        r.started + std::chrono::duration_cast<results::SystemTime::duration>(r.elapsed);
    if (!have_time || r.started < start) start = r.started;
    if (!have_time || r_end > end) end = r_end;
    have_time = true;
    for (const auto& a : r.artifacts)
      if (std::none_of(rep.artifacts.begin(), rep.artifacts.end(),
                       [&](const auto& x) { return x.path == a.path && x.kind == a.kind; }))
        rep.artifacts.push_back(a);
    for (const auto& w : r.warnings)
      if (warning_count[w]++ == 0 && !shard_dependent(w)) rep.warnings.push_back(w);
    for (const auto& p : r.permission_errors)
      if (std::find(rep.permission_errors.begin(), rep.permission_errors.end(), p) ==
          rep.permission_errors.end())
        rep.permission_errors.push_back(p);
    if (r.baseline) {
      if (!rep.baseline) rep.baseline = results::BaselineInfo{r.baseline->file, {}, {}};
      // A shard's "gone" lists every target of the baseline outside that
      // shard; gone from the fleet is only what no shard ran.
      for (const auto& g : r.baseline->gone)
        if (!present.count({g.scenario, g.target, g.source, g.check}) &&
            std::none_of(rep.baseline->gone.begin(), rep.baseline->gone.end(), [&](const auto& x) {
              return x.scenario == g.scenario && x.target == g.target && x.source == g.source &&
                     x.check == g.check;
            }))
          rep.baseline->gone.push_back(g);
      for (const auto& note : r.baseline->version_notes)
        if (std::find(rep.baseline->version_notes.begin(), rep.baseline->version_notes.end(),
                      note) == rep.baseline->version_notes.end())
          rep.baseline->version_notes.push_back(note);
    }
  }
  for (const auto& [w, count] : warning_count)
    if (shard_dependent(w) && count == static_cast<int>(by_index.size())) rep.warnings.push_back(w);
  for (int k : fleet.missing_shards)
    rep.warnings.push_back("shard " + std::to_string(k) + "/" + std::to_string(n) +
                           " missing: its targets were not tested");
  rep.started = start;
  rep.elapsed = end - start;
  rep.gate = first.gate;
  rep.fleet = std::move(fleet);
  out.shards = std::move(shards);
  return out;
}

}  // namespace vantage::fleet
