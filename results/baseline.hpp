#pragma once
// A run compared with a baseline run: each (scenario, target, source, check)
// is matched by that identity, never by report order, and sorted into new
// failure, fixed, still failing, still passing, new check or gone. A
// baseline is a JSON report (reports/json_report) of an earlier run; only
// its identities, statuses and fingerprints are read, so any later report
// version that keeps those fields still reads.
#include <string>
#include <tuple>
#include <vector>

#include "core/json_config.hpp"
#include "results/result.hpp"

namespace vantage::results {

struct ResultKey {
  std::string scenario, target, source, check;
  auto operator<=>(const ResultKey&) const = default;
  std::string str() const;  // "check [source] @ target (scenario)"
};

struct SnapshotEntry {
  ResultKey key;
  Status status = Status::kError;
  std::string severity;
  std::string fingerprint;  // the check's definition; empty when unknown
};

// What a comparison needs of one run.
struct Snapshot {
  std::string file;                                            // the report it came from
  std::vector<std::pair<std::string, std::string>> scenarios;  // name, fingerprint
  std::vector<SnapshotEntry> entries;
};

Snapshot snapshot_of(const RunReport& report);
// Throws ConfigError when `doc` is not a vantage JSON report (exit 65).
Snapshot snapshot_from_json(const ConfigDoc& doc);
Snapshot load_snapshot(const std::string& path);

struct DiffEntry {
  ResultKey key;
  std::optional<Change> change;  // nullopt: gone (only in the baseline)
  Status before = Status::kError, after = Status::kError;
  std::string severity;
  bool redefined = false;  // the check's definition differs from the baseline's
};

struct Diff {
  std::vector<DiffEntry> entries;  // in the current run's order, then the gone ones
  std::vector<std::string> version_notes;
  int count(std::optional<Change> c) const;
};

Diff diff(const Snapshot& before, const Snapshot& after);

// Sets each result's change and the report's BaselineInfo.
void apply_baseline(RunReport& report, const Snapshot& baseline);

}  // namespace vantage::results
