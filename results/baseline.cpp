#include "results/baseline.hpp"

#include <map>

#include "core/plural.hpp"

namespace vantage::results {

namespace {

bool failing(Status s) {
  return s == Status::kFail || s == Status::kWaived;
}

Change classify(Status before, Status after) {
  if (before == Status::kError || before == Status::kSkip || after == Status::kError ||
      after == Status::kSkip)
    return failing(after) ? Change::kNewFailure : Change::kNotCompared;
  if (failing(after)) return failing(before) ? Change::kStillFailing : Change::kNewFailure;
  return failing(before) ? Change::kFixed : Change::kStillPassing;
}

Status status_named(const std::string& s) {
  for (Status st : {Status::kPass, Status::kFail, Status::kError, Status::kSkip, Status::kWaived})
    if (s == to_string(st)) return st;
  return Status::kError;  // unknown: compares as nothing proven
}

}  // namespace

std::string ResultKey::str() const {
  std::string s = check;
  if (!source.empty()) s += " [" + source + "]";
  return s + " @ " + target + " (" + scenario + ")";
}

int Diff::count(std::optional<Change> c) const {
  int n = 0;
  for (const auto& e : entries) n += e.change == c ? 1 : 0;
  return n;
}

Snapshot snapshot_of(const RunReport& report) {
  Snapshot s;
  for (const auto& sc : report.scenarios) {
    s.scenarios.emplace_back(sc.name, sc.fingerprint);
    for (const auto& r : sc.results) {
      const auto* c = r.check;
      s.entries.push_back({{sc.name, r.target, r.source, c ? c->id : ""},
                           r.verdict.status,
                           c ? c->severity : "",
                           c ? c->fingerprint : ""});
    }
  }
  return s;
}

Snapshot snapshot_from_json(const ConfigDoc& doc) {
  Diagnostics diags(doc);
  const json& root = doc.root();
  if (!root.is_object() || root.value("format", "") != "vantage-report") {
    diags.error(JsonPath(),
                "not a vantage JSON report (\"format\": \"vantage-report\"); a "
                "baseline is the --json report of an earlier run");
    diags.throw_if_any();
  }
  Snapshot s;
  s.file = doc.file();
  const auto str = [](const json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (const auto& sc : root.value("scenarios", json::array())) {
    const std::string name = str(sc, "name");
    s.scenarios.emplace_back(name, str(sc, "fingerprint"));
    for (const auto& t : sc.value("targets", json::array()))
      for (const auto& c : t.value("checks", json::array()))
        s.entries.push_back({{name, str(t, "name"), str(c, "source"), str(c, "id")},
                             status_named(str(c.value("verdict", json::object()), "status")),
                             str(c, "severity"),
                             str(c, "fingerprint")});
  }
  return s;
}

Snapshot load_snapshot(const std::string& path) {
  return snapshot_from_json(ConfigDoc::load(path));
}

Diff diff(const Snapshot& before, const Snapshot& after) {
  Diff d;
  std::map<ResultKey, const SnapshotEntry*> old;
  for (const auto& e : before.entries) old[e.key] = &e;
  std::map<ResultKey, bool> seen;
  for (const auto& e : after.entries) {
    DiffEntry de{e.key, Change::kNewCheck, Status::kError, e.status, e.severity, false};
    if (auto it = old.find(e.key); it != old.end()) {
      de.before = it->second->status;
      de.change = classify(de.before, e.status);
      de.redefined = it->second->fingerprint != e.fingerprint;
      seen[e.key] = true;
    }
    d.entries.push_back(de);
  }
  for (const auto& e : before.entries)
    if (!seen.count(e.key))
      d.entries.push_back({e.key, std::nullopt, e.status, Status::kError, e.severity, false});
  // A baseline from another version of a scenario is said so, never matched silently.
  std::map<std::string, std::string> old_fp(before.scenarios.begin(), before.scenarios.end());
  for (const auto& [name, fp] : after.scenarios) {
    auto it = old_fp.find(name);
    if (it == old_fp.end())
      d.version_notes.push_back("scenario \"" + name + "\" is not in the baseline");
    else if (it->second != fp)
      d.version_notes.push_back("scenario \"" + name +
                                "\" differs from the baseline's version (fingerprint " +
                                (it->second.empty() ? "none" : it->second) + ", now " + fp + ")");
  }
  int redefined = 0;
  for (const auto& e : d.entries) redefined += e.redefined ? 1 : 0;
  if (redefined > 0)
    d.version_notes.push_back(counted(static_cast<std::size_t>(redefined), "check") +
                              " changed definition since the baseline; their comparison is with "
                              "the old definition");
  return d;
}

void apply_baseline(RunReport& report, const Snapshot& baseline) {
  const Diff d = diff(baseline, snapshot_of(report));
  BaselineInfo info;
  info.file = baseline.file;
  info.version_notes = d.version_notes;
  std::size_t i = 0;
  for (auto& sc : report.scenarios)
    for (auto& r : sc.results) r.change = d.entries.at(i++).change;
  for (; i < d.entries.size(); ++i) {
    const auto& k = d.entries[i].key;
    info.gone.push_back({k.scenario, k.target, k.source, k.check, d.entries[i].before});
  }
  report.baseline = std::move(info);
}

}  // namespace vantage::results
