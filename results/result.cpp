#include "results/result.hpp"

#include <array>

#include "core/error.hpp"
#include "core/plural.hpp"

namespace vantage::results {

namespace {
constexpr std::array<const char*, 5> kSeverities = {"info", "low", "medium", "high", "critical"};
}  // namespace

const char* to_string(Change c) {
  switch (c) {
    case Change::kNewFailure: return "new-failure";
    case Change::kFixed: return "fixed";
    case Change::kStillFailing: return "still-failing";
    case Change::kStillPassing: return "still-passing";
    case Change::kNewCheck: return "new-check";
    case Change::kNotCompared: return "not-compared";
  }
  return "not-compared";
}

int severity_rank(std::string_view severity) {
  for (std::size_t i = 0; i < kSeverities.size(); ++i)
    if (severity == kSeverities[i]) return static_cast<int>(i);
  return -1;
}

void Counts::add(Status s) {
  switch (s) {
    case Status::kPass: ++pass; break;
    case Status::kFail: ++fail; break;
    case Status::kError: ++error; break;
    case Status::kSkip: ++skip; break;
    case Status::kWaived: ++waived; break;
  }
}

Counts& Counts::operator+=(const Counts& o) {
  pass += o.pass;
  fail += o.fail;
  error += o.error;
  skip += o.skip;
  waived += o.waived;
  return *this;
}

Counts count(const std::vector<CheckResult>& results) {
  Counts c;
  for (const auto& r : results) c.add(r.verdict.status);
  return c;
}

Counts count(const std::vector<const CheckResult*>& results) {
  Counts c;
  for (const auto* r : results) c.add(r->verdict.status);
  return c;
}

Counts RunReport::counts() const {
  Counts c;
  for (const auto& s : scenarios) c += count(s.results);
  return c;
}

bool gates(const CheckResult& r, const Gate& gate) {
  if (r.verdict.status != Status::kFail) return false;
  // An unknown severity gates: a typo must not let a failure through.
  const int rank = severity_rank(r.check ? r.check->severity : std::string());
  if (!gate.fail_on.empty() && rank >= 0 && rank < severity_rank(gate.fail_on)) return false;
  // Without a comparison (no baseline entry), a failure counts as new: fail closed.
  if (gate.fail_on_new && r.change && *r.change != Change::kNewFailure &&
      *r.change != Change::kNewCheck && *r.change != Change::kNotCompared)
    return false;
  return true;
}

namespace {

int gating_failures(const RunReport& report) {
  int n = 0;
  for (const auto& s : report.scenarios)
    for (const auto& r : s.results) n += gates(r, report.gate) ? 1 : 0;
  return n;
}

// "failures ..." -> "failure ..." for a count of one.
// "3 new failures at or above --fail-on high (--fail-on-new)"; n < 0: "no ...".
std::string gate_words(const Gate& g, int n) {
  const std::string noun = g.fail_on_new ? "new failure" : "failure";
  std::string w = n < 0 ? "no " + plural(noun) : counted(static_cast<std::size_t>(n), noun);
  if (!g.fail_on.empty()) w += " at or above --fail-on " + g.fail_on;
  if (g.fail_on_new) w += " (--fail-on-new)";
  if (g.fail_on.empty() && !g.fail_on_new) w += " (any failure fails: no --fail-on)";
  return w;
}

}  // namespace

std::vector<std::pair<std::string, int>> failures_by_severity(const RunReport& report) {
  std::map<std::string, int> n;
  for (const auto& s : report.scenarios)
    for (const auto& r : s.results)
      if (r.verdict.status == Status::kFail) ++n[r.check ? r.check->severity : "unknown"];
  std::vector<std::pair<std::string, int>> out;
  for (auto it = kSeverities.rbegin(); it != kSeverities.rend(); ++it)
    if (auto f = n.find(*it); f != n.end()) out.emplace_back(f->first, f->second);
  for (const auto& [sev, k] : n)
    if (severity_rank(sev) < 0) out.emplace_back(sev, k);
  return out;
}

namespace {
bool missing_shards(const RunReport& r) {
  return r.fleet && !r.fleet->missing_shards.empty();
}
bool empty_shard(const RunReport& r) {
  return r.fleet && r.fleet->shard > 0 && r.fleet->selected.empty() && r.counts().total() == 0;
}
}  // namespace

int exit_code_for(const RunReport& report) {
  const auto c = report.counts();
  if (missing_shards(report)) return static_cast<int>(ExitCode::kError);
  if (empty_shard(report)) return static_cast<int>(ExitCode::kPass);
  if (gating_failures(report) > 0) return static_cast<int>(ExitCode::kFail);
  if (!report.permission_errors.empty()) return static_cast<int>(ExitCode::kPermission);
  if (c.error > 0) return static_cast<int>(ExitCode::kError);
  if (c.pass + c.fail + c.waived == 0) return static_cast<int>(ExitCode::kError);  // nothing tested
  return static_cast<int>(ExitCode::kPass);
}

std::string exit_reason(const RunReport& report) {
  const int code = exit_code_for(report);
  const auto c = report.counts();
  const int gating = gating_failures(report);
  std::string why;
  if (missing_shards(report)) {
    std::string ks;
    for (int k : report.fleet->missing_shards)
      ks +=
          (ks.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(report.fleet->shards);
    why = "shard(s) " + ks + " missing: their targets were not tested";
    if (gating > 0) why += "; " + std::to_string(gating) + " failure(s) in the shards present";
    return "exit 2: " + why;
  }
  if (empty_shard(report))
    return "exit 0: shard " + std::to_string(report.fleet->shard) + "/" +
           std::to_string(report.fleet->shards) + " holds no target of the " +
           std::to_string(report.fleet->inventory_targets) +
           " in the inventory; vantage merge judges the fleet";
  switch (code) {
    case 1: why = gate_words(report.gate, gating); break;
    case 77: why = "a missing permission"; break;
    case 0: why = gate_words(report.gate, -1); break;
    default:
      why = c.error > 0 ? counted(static_cast<std::size_t>(c.error), "check") +
                              " errored (errors are never gated)"
                        : "nothing was tested";
  }
  if (code != 1 && c.fail > gating && c.fail > 0)
    why += "; " + counted(static_cast<std::size_t>(c.fail - gating), "failure") + " not gating";
  if (c.waived > 0) why += "; " + std::to_string(c.waived) + " waived";
  return "exit " + std::to_string(code) + ": " + why;
}

}  // namespace vantage::results
