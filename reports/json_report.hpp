#pragma once
#include <functional>
#include <string_view>
// The JSON report: versioned, every observation with its evidence.
//
// {
//   "format": "vantage-report", "version": 1, "vantage_version": "0.1.0",
//   "started": "2026-11-25T15:04:05.123Z", "elapsed_s": 2.013,
//   "counts": {"total", "pass", "fail", "error", "skip"},
//   "scenarios": [{"file", "name", "counts", "targets": [{"name", "host", "counts",
//     "checks": [{"id", "probe", "port", "severity", "description", "source",
//                 "source_desc", "started", "elapsed_s", "expected",
//                 "verdict": {"status", "message", "expected", "observed",
//                             "findings": [{"kind", "item", "category", "text", "fix",
//                                           "info"}]},
//                 "observation": {"summary", "local_address", "warnings", "error",
//                                 "evidence"} | null}]}]}],
//   "artifacts": [{"kind", "path"}], "warnings": [...], "permission_errors": [...],
//   "gate": {...}, "baseline": {...} | null,
//   "fleet": {"inventory": {"file", "targets", "fingerprint"}, "limit", "shard":
//             {"index", "count"} | null, "shards", "scenario_fingerprint",
//             "selected": [{"name", "index"}], "merged_from", "missing_shards"}
//             (only on a run with --inventory, and on a merge)
// }
// A finding (results::Finding): "kind" a singular noun phrase ("forbidden
// suite"), "item" what it is about or null, "category" a sub-kind or null,
// "text" the sentence, "fix" its own fix (a command) or null, "info" true for
// advice that never fails the check. Empty when the probe records none.
// "version" changes only when a field is removed or changes meaning; new
// fields may appear at any time.
#include "core/json_config.hpp"
#include "results/result.hpp"

namespace vantage::reports {

inline constexpr int kJsonReportVersion = 1;

json render_json(const results::RunReport& report);

// render_json dumped with 2-space indent; invalid UTF-8 in probe text is
// replaced rather than thrown on.
std::string render_json_text(const results::RunReport& report);
// The same text, handed to `sink` in pieces of about a megabyte (the JSON
// format's file writer: a fleet's report is tens of MB).
void write_json_text(const results::RunReport& report,
                     const std::function<void(std::string_view)>& sink);

}  // namespace vantage::reports
