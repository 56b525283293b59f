#pragma once
// The routeros-state probe: logs in read-only over api-ssl (the login rules
// of routeros-api: verified certificate, no credentials to an anonymous
// session, none over plain API unless allowed), reads the router's own view
// (services, users, groups, firewall, address lists, certificates, version,
// clock, log) and holds it against the scenario and against what this run's
// probes did. It only ever sends `print` commands. A menu it could not read
// whole is an Observation unknown, so the check can never pass on it.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "probes/routeros_api/api_channel.hpp"
#include "probes/routeros_state/version_policy.hpp"
#include "probes/session/session.hpp"

namespace vantage::probes {

// One menu as the router printed it: each row its attributes.
using Row = std::map<std::string, std::string>;
struct Menu {
  std::vector<Row> rows;
  bool read = false;  // the reply ended in !done within every bound
};

// What the router said, keyed by menu path ("/ip/service").
struct RouterState {
  std::map<std::string, Menu> menus;
  const std::vector<Row>* rows(const std::string& path) const;
  // Clock skew: router time minus this host's time, measured around /system/clock.
  std::optional<std::chrono::seconds> skew;
  std::string router_clock;  // as the router printed it
  std::string wire_sha256;   // api-ssl's certificate as served in this run
  std::string wire_not_after;
};

// The findings are results::Finding records: kind ("enabled service"), item
// (what it is about: "telnet"), the sentence, the RouterOS command that fixes
// it, and info for advice that never fails the check (obscurity, an update).
using results::Finding;
inline Finding state_finding(std::string kind, std::string item, std::string text, std::string fix,
                             bool info = false) {
  return {std::move(kind), std::move(item), "", std::move(text), std::move(fix), info};
}

// The check's aspects ("expect"): each reads only the menus it needs.
enum class Aspect { kServices, kUsers, kFirewall, kCertificate, kVersion, kCorrelation };

struct RouterosStateSpec final : CheckSpec, SessionSpec {
  Aspect aspect = Aspect::kServices;
  std::string expect_word;
  std::string mgmt_range;  // CIDR the API may be reached from
  std::vector<std::uint16_t> api_ports = {8728, 8729};
  std::vector<std::string> disabled = {"api", "telnet", "ftp", "www"};
  std::string tls_version = "only-1.2";
  int max_sessions = 20;  // api-ssl's max-sessions at most this
  int inactive_days = 90;
  std::string min_version;            // "7.12.1"; empty: the policy file's
  std::string version_policy;         // a file: {"minimum": ..., "fixed": [...]}
  std::vector<KnownFix> known_fixes;  // the policy's "fixed": each one a version must have
  std::string log_prefix = "DROP API: ";
  int max_skew_s = 300;                           // a larger clock skew is a finding
  std::optional<net::SourceSpec> detection_from;  // its failed login must be logged
  json expect_json;

  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
};

struct StateObservation : Observation, SessionContact {
  RouterState state;
  // This run's connections (engine record), for correlation.
  std::vector<RunState::Conn> run_conns;
  std::string run_started;  // ISO 8601, the first recorded connection
  Transcript transcript;
  json evidence() const override;
};

class RouterosStateProbe final : public Probe {
 public:
  std::string_view name() const override { return "routeros-state"; }
  std::string_view summary() const override {
    return "RouterOS own state over api-ssl (read-only): services, users, firewall, "
           "certificate, version, and the router's log against this run";
  }
  // After every other probe: the log must already hold what they did.
  Phase phase() const override { return Phase::kAfterAll; }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

// The judges, one per aspect (state_*.cpp); pure functions of the state.
std::vector<Finding> judge_services(const RouterosStateSpec& s, const RouterState& st);
std::vector<Finding> judge_users(const RouterosStateSpec& s, const RouterState& st,
                                 const std::string& audit_user);
std::vector<Finding> judge_firewall(const RouterosStateSpec& s, const RouterState& st);
std::vector<Finding> judge_certificate(const RouterosStateSpec& s, const RouterState& st);
std::vector<Finding> judge_version(const RouterosStateSpec& s, const RouterState& st);
// Correlation also counts what it held against the log: with no connection to
// an API port from outside the management range, the log had nothing to show,
// and the check is an error, not a pass (judge()).
struct Correlation {
  std::vector<Finding> findings;
  int outside = 0;  // this run's API connections from outside mgmt_range
  int matched = 0;  // of those, logged as drops
};
Correlation judge_correlation(const RouterosStateSpec& s, const StateObservation& o);

// The menus an aspect reads.
std::vector<std::string> menus_for(Aspect a);

// Helpers (state_util.cpp).
// Whether `ip` lies in `cidr` ("198.51.100.0/24", "::1/128", a bare address);
// false for anything unparsable.
bool in_prefix(const std::string& ip, const std::string& cidr);
// RouterOS's comma-separated address field ("a/24,b"): every entry inside `range`.
bool all_within(const std::string& list, const std::string& range);
// Compares RouterOS versions "7.12.1" / "7.16rc2" numerically, part by part
// (an rc or beta is below its release); nullopt when either is unparsable.
std::optional<int> compare_versions(const std::string& a, const std::string& b);
// Router date + time ("2026-12-02" or "dec/02/2026", "00:50:28") to UTC
// seconds since the epoch, given gmt-offset "+01:00"; nullopt when unparsable.
std::optional<std::int64_t> router_time(const std::string& date, const std::string& time,
                                        const std::string& gmt_offset);
// A /log row's time ("00:50:28", "dec/02 00:50:28", "2026-12-02 00:50:28") in
// the router's clock, with the date of `today` (router date) when it has none.
std::optional<std::int64_t> log_time(const std::string& t, const std::string& today,
                                     const std::string& gmt_offset);
bool has_word(const std::string& comma_list, const std::string& word);  // "read,api"

}  // namespace vantage::probes
