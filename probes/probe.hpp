#pragma once
// The probe interface. A probe observes and never judges; its CheckSpec
// (parsed from the scenario) judges an observation; reporters format.
// Every probe is listed once in the registry table (registry.cpp).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "core/deadline.hpp"
#include "core/json_config.hpp"
#include "net/source.hpp"
#include "net/vantage_connect.hpp"
#include "results/verdict.hpp"

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

// State shared by all probes of one run. Thread-safe; its lock never leaves it.
class RunState {
 public:
  // A connection the probes made (local -> remote), for capture self-validation.
  struct Conn {
    std::string local;   // ip:port
    std::string remote;  // ip:port
    // When its first SYN was sent (wall clock), held against the router's log
    // by routeros-state. Not when the attempt ended: a filtered attempt
    // lasts its whole budget (3 s and more on a slow link), and the router
    // logged the SYN at its start.
    std::chrono::system_clock::time_point at;
  };
  void record_connection(
      std::string local, std::string remote,
      std::chrono::system_clock::time_point at = std::chrono::system_clock::now());
  std::vector<Conn> connections() const;  // a copy, in the order made

  // How many targets the run has: a probe that can spend connections for
  // speed (a TLS scan's lanes) spends fewer in a fleet. Set by the engine
  // before any probe runs; 1 in a harness.
  void set_targets(std::size_t n) { targets_ = n; }
  std::size_t targets() const { return targets_; }

  // Evidence of the whole run, one slot per type (the capture's: written by
  // its observer after the active probes, read by the capture probe).
  template <class T>
  void set_evidence(std::shared_ptr<const T> ev) {
    put(typeid(T), std::move(ev));
  }
  template <class T>
  std::shared_ptr<const T> evidence() const {
    return std::static_pointer_cast<const T>(get(typeid(T)));
  }

 private:
  void put(std::type_index type, std::shared_ptr<const void> ev);
  std::shared_ptr<const void> get(std::type_index type) const;

  mutable std::mutex mu_;
  std::size_t targets_ = 1;
  std::vector<Conn> connections_;
  std::map<std::type_index, std::shared_ptr<const void>> evidence_;
};

struct ProbeContext {
  const Target& target;
  const net::SourceSpec* source;  // null for probes that do not use sources
  const CheckCommon& check;
  const CheckSpec& spec;
  Deadline deadline;  // the check's whole budget; probes use no other clock
  RunState& run;
  // The target's address (port 0), resolved by the engine in the source's
  // namespace before `deadline` started (net::resolve); the engine reports a
  // target it cannot resolve before any probe runs.
  std::optional<net::SockAddr> address = std::nullopt;

  // The target's address with `port`. A probe never looks a name up itself:
  // without `address` (a harness that resolved nothing) only an IP literal
  // target has one; otherwise `obs.error` says so and nullopt is returned.
  std::optional<net::SockAddr> destination(std::uint16_t port, Observation& obs) const;
  // What a probe says when the target has no address.
  std::string cannot_resolve() const;

  // One connection from the check's source to `dst`, bounded by `dl`,
  // recorded in `run` (see net::vantage_connect).
  net::VantageConnect connect(const net::SockAddr& dst, const net::VantageOptions& opt,
                              Deadline dl) const;
  // Time left of `deadline`, for a probe that sizes its steps by it.
  std::chrono::milliseconds remaining() const;
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
  // JSON Schema "properties" for the check keys this probe accepts beyond
  // the common ones ("expect" included); scenarios/schema.json is generated from it.
  virtual json schema() const = 0;
  // Those keys, in schema order: derived from schema(), never listed twice.
  std::vector<std::string> keys() const;
  virtual std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path,
                                           Diagnostics& diags, const ParseEnv& env) const = 0;
  virtual std::unique_ptr<Observation> observe(const ProbeContext& ctx) const = 0;
};

// The registry table: every probe, in the order `list-probes` shows them.
const std::vector<const Probe*>& registry();
const Probe* find_probe(std::string_view name);
std::vector<std::string> probe_names();

}  // namespace vantage::probes
