#pragma once
// What a check is and what it came to: the vocabulary shared by probes (which
// fill observations), the engine (which decides), and reports (which format).
// Nothing here does I/O; results/ sits below probes, engine and reports.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_config.hpp"

namespace vantage::results {

// kWaived: a failure a waiver accepts (results/waiver.hpp). It is never a
// pass: every format shows it as waived, and it stays a failure in a baseline.
enum class Status { kPass, kFail, kError, kSkip, kWaived };
const char* to_string(Status s);

// One thing a check found wrong, as a record: reports collapse findings of a
// kind ("37 forbidden suites: anonymous 21, null 10, ...") or list them all;
// JSON carries each, SARIF makes each a result, JUnit lists them. Any probe
// fills them; nothing here is about one probe.
struct Finding {
  std::string kind;  // what is wrong, a singular noun phrase: "forbidden suite", "enabled service"
  std::string item;  // what it is wrong about: "TLS_RSA_WITH_NULL_SHA", "telnet"
  std::string category;  // optional sub-kind counted in the collapsed form: "null"
  std::string text;      // the whole sentence: "TLSv1.2 accepts forbidden suite ..."
  std::string fix = {};  // how to fix this one (a command); "": the check's fix says it
  bool info = false;     // advice (obscurity, an available update): shown, never fails the check
};

struct Verdict {
  Status status = Status::kError;
  std::string message;                 // one sentence in the operator's terms
  std::string expected;                // short: "not-open"
  std::string observed;                // short: "open"
  std::vector<Finding> findings = {};  // what it found, each a record (info ones on a pass too)
};

// What a probe saw. Probe-specific subclasses add typed fields and render
// them in evidence().
struct Observation {
  virtual ~Observation() = default;
  std::string summary;        // one line for the console
  std::string error;          // non-empty: could not observe (verdict is error)
  std::string local_address;  // source address actually used
  std::vector<std::string> warnings;
  // Evidence the expectation needed and the probe did not get (a timeout
  // where an answer was needed, an enumeration cut short, a size never
  // seen). Any entry keeps the check from passing: see decide().
  std::vector<std::string> unknowns;
  virtual json evidence() const = 0;
};

// The probe-specific part of a check: its options and its expectation.
class CheckSpec {
 public:
  virtual ~CheckSpec() = default;
  // Compares what was seen with what was expected. Callers use decide(),
  // which wraps this in the fail-closed rule.
  virtual Verdict judge(const Observation& obs) const = 0;
  virtual json expected() const = 0;  // the expectation, for reports
  // File descriptors the check holds at most at once: the worker pool keeps
  // the sum of running checks' within the open-files limit (a connection, a
  // confirming one and a namespace fd, unless the probe holds more).
  virtual int fds() const { return 3; }
  // Connections the check holds on its target at once: counted against the
  // per-target session cap (a TLS scan that would exceed it runs alone on
  // its target), so no check is refused for a session limit another tripped.
  virtual int connections() const { return 1; }
};

// The fail-closed rule, the one place it is stated: an observation with an
// error, or with evidence missing (unknowns), never passes. A failure that
// rests on evidence that was seen stays a failure; a pass becomes an error
// that names what was missing. The engine and every test harness call this,
// never judge() alone.
Verdict decide(const CheckSpec& spec, const Observation& obs);

// The verdict of a check whose observation could not be made: status error,
// observed "error". Judges return it for Observation::error; decide() too.
Verdict unobserved(std::string expected, std::string message);

struct Target {
  std::string name;         // label used in reports (defaults to host)
  std::string host;         // IP literal or resolvable name
  std::string server_name;  // SNI and certificate name (may be empty)
};

// The keys every check has, whatever its probe.
struct CheckCommon {
  std::string id;
  std::string probe;
  std::string description;
  std::string severity = "high";            // critical | high | medium | low | info
  std::uint16_t port = 0;                   // 0 for probes without a port
  std::vector<std::string> from;            // source names; empty for passive probes
  std::chrono::milliseconds timeout{3000};  // whole check, all attempts
  int attempts = 2;
  std::string fix;  // how to make it pass (SARIF's help); empty: derived from the expectation
  // Where the check is written (1-based; 0 when built in code): SARIF
  // locations point code scanning at this line of the scenario.
  std::string file;
  int line = 0, column = 0;
  // Its definition as written (before --var substitution), hashed: a baseline
  // compares a check only with the same check.
  std::string fingerprint;
};

// 16 hex digits (FNV-1a 64) of a text: a stable identity, not a secret.
std::string fingerprint(std::string_view text);

}  // namespace vantage::results
