#pragma once
#include "net/tcp_connect.hpp"
#include "probes/probe.hpp"

namespace vantage::probes {

// What one TCP reachability check saw from one source.
struct TcpObservation : Observation {
  net::TcpOutcome outcome = net::TcpOutcome::kFiltered;
  std::string remote;  // ip:port probed
  std::vector<net::ConnectAttempt> attempts;
  json evidence() const override;
};

// Expected outcome(s): one name, a list, or "not-open".
class TcpSpec final : public CheckSpec {
 public:
  std::vector<net::TcpOutcome> accept;  // any of these passes
  std::string expect_text;              // as written, for messages
  std::chrono::milliseconds settle{200};
  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_text; }
};

class TcpProbe final : public Probe {
 public:
  std::string_view name() const override { return "tcp"; }
  std::string_view summary() const override {
    return "TCP reachability: open, closed, filtered, unreachable (ICMP) or service-refused";
  }
  // A connect is a session only for microseconds; it does not hold one.
  bool holds_session() const override { return false; }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

// Shared by probes that connect first: parses an outcome expectation
// (string, list, "not-open") into `out`; reports errors at `path`.
bool parse_outcomes(const json& v, const JsonPath& path, Diagnostics& diags,
                    std::vector<net::TcpOutcome>& out);

}  // namespace vantage::probes
