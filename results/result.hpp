#pragma once
// The outcome of a run, as reporters see it: typed records, no formatting.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "results/verdict.hpp"

namespace vantage::results {

using SystemTime = std::chrono::system_clock::time_point;

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
};

// All results of one scenario file.
struct ScenarioResult {
  std::string file;
  std::string name;
  std::vector<std::string> targets;  // target names, in order
  std::vector<CheckResult> results;  // grouped by target, in check order
};

struct Artifact {
  std::string kind;  // "pcap"
  std::string path;
};

struct Counts {
  int pass = 0, fail = 0, error = 0, skip = 0;
  int total() const { return pass + fail + error + skip; }
  void add(Status s);
  Counts& operator+=(const Counts& o);
};

// Counting, the one way: over any set of results a report shows.
Counts count(const std::vector<CheckResult>& results);
Counts count(const std::vector<const CheckResult*>& results);

struct RunReport {
  std::vector<ScenarioResult> scenarios;
  SystemTime started{};
  std::chrono::duration<double> elapsed{};
  std::vector<Artifact> artifacts;  // e.g. the capture
  std::vector<std::string> warnings;
  // Missing capabilities met during the run (exit 77 unless a check failed).
  std::vector<std::string> permission_errors;

  Counts counts() const;
};

// docs/design.md exit codes: 0 all passed, 1 a failure, 77 a missing permission
// (and no failure), 2 errors only. Never 0 when nothing was tested (no
// results, or every result skipped): that is 2.
int exit_code_for(const RunReport& report);

}  // namespace vantage::results
