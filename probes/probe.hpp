#pragma once
// The probe interface. A probe observes and never judges; its CheckSpec
// (parsed from the scenario) judges an observation; reporters format.
// Every probe is listed once in the registry table (registry.cpp).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.hpp"
#include "core/json_config.hpp"
#include "net/source.hpp"

namespace vantage::capture {
struct RunEvidence;  // filled by the run-wide capture, read by the capture probe
}

namespace vantage::probes {

enum class Status { kPass, kFail, kError, kSkip };
const char* to_string(Status s);

struct Verdict {
  Status status = Status::kError;
  std::string message;   // one sentence in the operator's terms
  std::string expected;  // short: "not-open"
  std::string observed;  // short: "open"
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
};

// The fail-closed rule, the one place it is stated: an observation with an
// error, or with evidence missing (unknowns), never passes. A failure that
// rests on evidence that was seen stays a failure; a pass becomes an error
// that names what was missing. The engine and every test harness call this,
// never judge() alone.
Verdict decide(const CheckSpec& spec, const Observation& obs);

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
  std::string severity = "high";  // critical | high | medium | low | info
  std::uint16_t port = 0;         // 0 for probes without a port
  std::vector<std::string> from;  // source names; empty for passive probes
  std::chrono::milliseconds timeout{3000};  // whole check, all attempts
  int attempts = 2;
};

// Scenario-wide facts a probe may need while parsing its check.
struct ParseEnv {
  std::filesystem::path base_dir;  // relative file paths resolve against it
  // The scenario's sources, for checks that name a second source (a
  // routeros-api positive control); null when the caller has none.
  const std::vector<net::SourceSpec>* sources = nullptr;
};

// State shared by all probes of one run.
struct RunState {
  std::mutex mu;
  // Connections the probes made (local -> remote), for capture self-validation.
  struct Conn {
    std::string local;   // ip:port
    std::string remote;  // ip:port
  };
  std::vector<Conn> connections;
  std::shared_ptr<const capture::RunEvidence> capture;
  void record_connection(std::string local, std::string remote) {
    std::lock_guard lock(mu);
    connections.push_back({std::move(local), std::move(remote)});
  }
};

struct ProbeContext {
  const Target& target;
  const net::SourceSpec* source;  // null for probes that do not use sources
  const CheckCommon& check;
  const CheckSpec& spec;
  Deadline deadline;
  RunState& run;
  // The target's address (port 0), resolved by the engine in the source's
  // namespace before `deadline` started (net::resolve).
  std::optional<net::SockAddr> address = std::nullopt;

  // The target's address with `port`. A probe never looks a name up itself:
  // without `address` (a harness that resolved nothing) only an IP literal
  // target has one.
  std::optional<net::SockAddr> destination(std::uint16_t port) const {
    std::optional<net::SockAddr> a = address ? address : net::SockAddr::parse(target.host);
    if (a) a->set_port(port);
    return a;
  }
};

enum class Phase {
  kActive,   // runs with the other probes
  kAfterAll  // runs once all active probes have finished (capture)
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  virtual bool needs_port() const { return true; }
  virtual bool uses_sources() const { return true; }
  // Whether it holds a session on the target (counts toward the per-target cap).
  virtual bool holds_session() const { return true; }
  virtual Phase phase() const { return Phase::kActive; }
  // Check keys this probe accepts beyond the common ones ("expect" included).
  virtual std::vector<std::string> keys() const = 0;
  // JSON Schema "properties" for those keys; the schema test compares it.
  virtual json schema() const = 0;
  virtual std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path,
                                           Diagnostics& diags, const ParseEnv& env) const = 0;
  virtual std::unique_ptr<Observation> observe(const ProbeContext& ctx) const = 0;
};

// The registry table: every probe, in the order `list-probes` shows them.
const std::vector<const Probe*>& registry();
const Probe* find_probe(std::string_view name);
std::vector<std::string> probe_names();

}  // namespace vantage::probes
