#include "reports/changes.hpp"

#include <fmt/format.h>

#include "core/plural.hpp"
#include "core/text.hpp"

namespace vantage::reports {

using results::Change;

results::Diff diff_of(const results::RunReport& report) {
  results::Diff d;
  if (!report.baseline) return d;
  for (const auto& s : report.scenarios)
    for (const auto& r : s.results)
      d.entries.push_back({{s.name, r.target, r.source, r.check ? r.check->id : ""},
                           r.change,
                           results::Status::kError,
                           r.verdict.status,
                           r.check ? r.check->severity : "",
                           false});
  for (const auto& g : report.baseline->gone)
    d.entries.push_back(
        {{g.scenario, g.target, g.source, g.check}, std::nullopt, g.status, g.status, "", false});
  d.version_notes = report.baseline->version_notes;
  return d;
}

std::string render_changes(const results::Diff& diff, const std::string& baseline_file) {
  auto n = [&](std::optional<Change> c) { return diff.count(c); };
  std::string out = fmt::format(
      "changes against baseline {}: {}, {} fixed, {} still failing, {} still passing, {}, {} gone",
      terminal_safe(baseline_file), counted(n(Change::kNewFailure), "new failure"),
      n(Change::kFixed), n(Change::kStillFailing), n(Change::kStillPassing),
      counted(n(Change::kNewCheck), "new check"), n(std::nullopt));
  if (int nc = n(Change::kNotCompared)) out += fmt::format(", {} not compared (error or skip)", nc);
  out += "\n";
  for (const auto& e : diff.entries) {
    const char* label = nullptr;
    if (e.change == Change::kNewFailure)
      label = "new failure";
    else if (e.change == Change::kFixed)
      label = "fixed";
    else if (e.change == Change::kNewCheck)
      label = "new check";
    else if (!e.change)
      label = "gone";
    if (!label) continue;
    std::string line = fmt::format("  {:<12} {}", label, terminal_safe(e.key.str()));
    if (e.change == Change::kNewCheck) line += fmt::format(": {}", results::to_string(e.after));
    if (!e.severity.empty() && e.change == Change::kNewFailure)
      line += fmt::format(" ({})", e.severity);
    out += line + "\n";
  }
  for (const auto& note : diff.version_notes) out += "  warning: " + terminal_safe(note) + "\n";
  return out;
}

}  // namespace vantage::reports
