#pragma once
// The one way a test runs a probe check, the way the engine does: the check
// JSON is parsed through the probe registry (located diagnostics, unknown
// keys reported with a suggestion, as the scenario loader does), observed
// with a ProbeContext, and decided by results::decide(), the fail-closed
// rule; never by judge() alone. Timeouts are the ones a user would give on
// the test's link profile (link_profile.hpp).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "capture/run_capture.hpp"
#include "core/json_config.hpp"
#include "probes/probe.hpp"

namespace vantage::testing {

// A check parsed by its probe. `diags` holds every problem, each located
// (check.json:line:column) with its path inside the check ("expect.accept").
struct ParsedCheck {
  std::unique_ptr<results::CheckSpec> spec;
  std::vector<Diagnostic> diags;

  bool ok() const { return diags.empty(); }
  // One located diagnostic a line, for failure messages and substring checks.
  std::string errors() const;
  // Whether a diagnostic at exactly `path` contains `text`.
  bool has_error(std::string_view path, std::string_view text) const;
};

// Every top-level key a check of `probe` may have: the keys every check has
// (as the published scenario schema lists them) and the probe's own.
std::vector<std::string> check_keys_of(const probes::Probe& probe);

// Parses `check_json` (the probe's part of a check: "expect" and the probe's
// own keys) with the registered probe `probe`; relative file paths resolve
// against `base_dir`. Throws std::invalid_argument for an unknown probe.
ParsedCheck parse_check(std::string_view probe, const std::string& check_json,
                        const std::filesystem::path& base_dir = ".");

struct RunOptions {
  std::uint16_t port = 0;
  std::string host = "127.0.0.1";
  std::string target_name = "lab";
  std::string server_name;
  // The source the check runs from; an empty address runs it without one
  // (probes that use no source, like capture).
  std::string source = "127.0.0.1";
  std::string source_name = "mgmt";
  // On an ideal link; run_check() scales it to the active link profile.
  std::chrono::milliseconds timeout{3000};
  int attempts = 1;
  std::filesystem::path base_dir = ".";
  // The run-wide capture and the connections other probes made, for the
  // capture probe (null / empty for the others).
  std::shared_ptr<const capture::RunEvidence> capture;
  std::vector<probes::RunState::Conn> connections;
};

struct CheckRun {
  std::unique_ptr<results::CheckSpec> spec;
  std::unique_ptr<results::Observation> obs;
  results::Verdict verdict;                         // decide(*spec, *obs)
  double elapsed_ms = 0;                            // observe() alone
  std::vector<probes::RunState::Conn> connections;  // the run's, after observe()
  json evidence() const { return obs->evidence(); }
};

// Parses (the check must be valid: throws std::invalid_argument with the
// located diagnostics otherwise), observes and decides.
CheckRun run_check(std::string_view probe, const std::string& check_json, const RunOptions& o);

}  // namespace vantage::testing
