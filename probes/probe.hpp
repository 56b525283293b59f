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
#include "results/verdict.hpp"

namespace vantage::capture {
struct RunEvidence;  // filled by the run-wide capture, read by the capture probe
}

namespace vantage::probes {

// Probes speak the results vocabulary: they fill Observations, their
// CheckSpecs judge them.
using results::CheckCommon;
using results::CheckSpec;
using results::Observation;
using results::Status;
using results::Target;
using results::Verdict;

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
