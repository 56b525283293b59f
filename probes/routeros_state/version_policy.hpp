#pragma once
// The version policy of the routeros-state `version` aspect: a minimum
// RouterOS and the known fixed versions of CVEs in the services and users
// vantage audits (policies/routeros-versions.json). Pure: parse and compare.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json_config.hpp"

namespace vantage::probes {

// One CVE and where it is fixed. RouterOS trains (major.minor: 6.49, 7.23,
// 7.24) get their own fixed releases, so `fixed_in` holds one per train.
struct KnownFix {
  std::string cve;                    // "CVE-2023-41570"
  std::string summary;                // one line: what it lets whom do
  std::vector<std::string> fixed_in;  // first fixed release per train: "6.49.21", "7.23.4"
  std::string introduced;             // "": every version before the fix is affected
  std::string confidence;             // high, medium or low: how directly a source states it
  std::vector<std::string> sources;   // https URLs
};

struct VersionPolicy {
  std::string minimum;  // "": the policy sets none
  std::vector<KnownFix> fixed;
};

// Parses a policy document; throws ConfigError holding every problem, each
// located in the document and saying what to write instead.
VersionPolicy parse_version_policy(const ConfigDoc& doc);
// Reads and parses a policy file (comments allowed).
VersionPolicy load_version_policy(const std::filesystem::path& file);

// The release that fixes `fix` for a router at `version`, or nullopt when that
// version is not affected (or unparsable: the caller reports that). The rule:
// below `introduced`, not affected; otherwise the fix of the lowest listed
// train at or above the version's own train applies (a train between listed
// ones counts as affected: no backport is known); above every listed train,
// not affected.
std::optional<std::string> needed_fix(const KnownFix& fix, const std::string& version);

}  // namespace vantage::probes
