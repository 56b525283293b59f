#pragma once
// Waivers: a failure someone has accepted, for a while, in writing. A waived
// failure becomes Status::kWaived, never a pass; an error is never waived;
// an expired waiver stops waiving and says so; a waiver that waives nothing
// is a warning. The file's format is docs/waivers.schema.json:
//
//   {"vantage": 1, "waivers": [{"check": "api-plain-closed", "target": "core-*",
//     "source": "mgmt", "justification": "...", "owner": "netops", "expires": "2026-12-31"}]}
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "results/result.hpp"

namespace vantage::results {

struct Waiver {
  std::string check;         // a check id, exactly
  std::string target = "*";  // a glob (fnmatch) over the target's name and host
  std::string source;        // a source name, exactly; empty: any source
  std::string justification, owner;
  std::string expires;  // YYYY-MM-DD: waives through that day, UTC
  std::string file;
  int line = 0;
};

// Throws ConfigError (file:line:col) with every problem in the file.
std::vector<Waiver> load_waivers(const std::string& path);
std::vector<Waiver> parse_waivers(const ConfigDoc& doc);

// Today's date in UTC, YYYY-MM-DD.
std::string utc_today();

// Marks every failure a live waiver matches as waived, notes an expired one
// on the failure it no longer waives, and adds a warning to the report for
// each expired waiver and each waiver that waived nothing. `today` is
// YYYY-MM-DD (tests pass their own).
void apply_waivers(RunReport& report, const std::vector<Waiver>& waivers, const std::string& today);

}  // namespace vantage::results
