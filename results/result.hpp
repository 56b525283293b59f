#pragma once
// The outcome of a run, as reporters see it: typed records, no formatting.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "results/verdict.hpp"

namespace vantage::results {

using SystemTime = std::chrono::system_clock::time_point;

// Where a result stands against a baseline run (results/baseline.hpp).
// A failure is fail or waived; an error or skip on either side is not
// compared, since neither proves anything either way.
enum class Change { kNewFailure, kFixed, kStillFailing, kStillPassing, kNewCheck, kNotCompared };
const char* to_string(Change c);  // "new-failure", "fixed", ...

// The waiver that accepted (or, expired, no longer accepts) a failure.
struct WaiverRef {
  std::string check, justification, owner, expires;  // expires: YYYY-MM-DD (UTC, inclusive)
  std::string file;
  int line = 0;
  bool expired = false;  // matched, but past its date: the failure stands
};

// One check, against one target, from one source (or from none, for
// passive probes such as capture).
struct CheckResult {
  const CheckCommon* check = nullptr;
  std::shared_ptr<const CheckSpec> spec;
  std::string target;       // Target::name
  std::string target_host;  // Target::host
  std::string source;       // source name, empty for passive probes
  std::string source_desc;  // "mgmt (netns mgmt)"
  std::shared_ptr<const Observation> observation;
  Verdict verdict;
  SystemTime started{};
  std::chrono::duration<double> elapsed{};
  std::optional<WaiverRef> waiver;  // status kWaived, or kFail with an expired waiver
  std::optional<Change> change;     // with --baseline
};

// All results of one scenario file.
struct ScenarioResult {
  std::string file;
  std::string name;
  std::vector<std::string> targets;  // target names, in order
  std::vector<CheckResult> results;  // grouped by target, in check order
  std::string fingerprint;           // the scenario as written (see CheckCommon::fingerprint)
};

struct Artifact {
  std::string kind;  // "pcap"
  std::string path;
};

struct Counts {
  int pass = 0, fail = 0, error = 0, skip = 0, waived = 0;
  int total() const { return pass + fail + error + skip + waived; }
  void add(Status s);
  Counts& operator+=(const Counts& o);
};

// Counting, the one way: over any set of results a report shows.
Counts count(const std::vector<CheckResult>& results);
Counts count(const std::vector<const CheckResult*>& results);

// What decides the exit code beyond "any failure fails" (--fail-on,
// --fail-on-new). Errors are never gated: they exit 2 whatever this says.
struct Gate {
  std::string fail_on;       // "" (any failure), or critical | high | medium | low | info
  bool fail_on_new = false;  // only failures that are new against the baseline
};

// A result of the baseline run that this run does not have.
struct GoneResult {
  std::string scenario, target, source, check;
  Status status = Status::kError;
};

// The baseline this run was compared with (results/baseline.hpp).
struct BaselineInfo {
  std::string file;
  std::vector<GoneResult> gone;
  // Scenarios whose definition differs from the baseline's, in words.
  std::vector<std::string> version_notes;
};

// A fleet run (vantage run --inventory) or the merge of its shards: enough for
// each shard's report to say what it is part of, and for the merge to refuse
// shards of different runs and name the missing ones.
struct FleetTarget {
  std::string name;
  int index = 0;  // position in the inventory after --limit
};
struct FleetInfo {
  std::string inventory;            // the file, as given
  int inventory_targets = 0;        // targets after --limit, all shards together
  std::string targets_fingerprint;  // of that list: names, hosts and vars, in order
  std::vector<std::string> limit;   // --limit, as given
  int shard = 0, shards = 0;        // --shard K/N; 0/0 when not sharded
  // The plan as run: each scenario's fingerprint, the command line's vars,
  // --only and --timeout-ms. Shards of one run have the same.
  std::string scenario_fingerprint;
  std::vector<FleetTarget> selected;     // the targets this report covers, in order
  std::vector<std::string> merged_from;  // vantage merge: the shard reports read
  std::vector<int> missing_shards;       // vantage merge: K of the shards not given
};

struct RunReport {
  std::vector<ScenarioResult> scenarios;
  SystemTime started{};
  std::chrono::duration<double> elapsed{};
  std::vector<Artifact> artifacts;  // e.g. the capture
  std::vector<std::string> warnings;
  // Missing capabilities met during the run (exit 77 unless a check failed).
  std::vector<std::string> permission_errors;
  Gate gate;
  std::optional<BaselineInfo> baseline;
  std::optional<FleetInfo> fleet;

  Counts counts() const;
};

// docs/design.md exit codes: 0 all passed, 1 a failure the gate counts, 77 a
// missing permission (and no such failure), 2 errors. Waivers and the gate
// never hide an error. Never 0 when nothing was tested (no result passed,
// failed or was waived): that is 2. A fleet report merged with shards
// missing is 2 whatever the shards present say: part of the fleet went
// untested. A shard that holds no target (rendezvous hashing can leave one
// empty) is 0: the merge judges the fleet.
int exit_code_for(const RunReport& report);

// Whether the gate counts this failure (status fail, severity at or above
// --fail-on, new when --fail-on-new). Waived, passed, errored: never.
bool gates(const CheckResult& r, const Gate& gate);

// The exit code's reason in one line, in the terms of the flags: "exit 1: 2
// failures at or above --fail-on high (1 critical, 1 high)".
std::string exit_reason(const RunReport& report);

// Failures (fail, not waived) per severity, critical first: {"high", 2}.
std::vector<std::pair<std::string, int>> failures_by_severity(const RunReport& report);

// critical 4, high 3, medium 2, low 1, info 0; -1 for anything else.
int severity_rank(std::string_view severity);

}  // namespace vantage::results
