#pragma once
// The capture check: judges the run-wide capture (capture/run_capture.hpp)
// once every active probe has finished.
//
//   { "id": "no-plaintext-api", "probe": "capture", "expect": "no-plaintext-api" }
//   { "id": "tls-witness", "probe": "capture",
//     "expect": { "tls_versions_seen": ["TLSv1.2", "TLSv1.3"] } }
//
// Both first self-validate the capture: it must have seen the SYN of every
// connection vantage's probes made to the target, and dropped nothing.
// Otherwise the verdict is error: missing evidence is never a pass.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.hpp"

namespace vantage::probes {

struct CaptureObservation : Observation {
  std::string file, interface, netns, filter, link_type;
  std::uint64_t packets = 0, dropped = 0, if_dropped = 0;
  std::size_t connections = 0;            // vantage's own connections to the target
  std::size_t syns_seen = 0;              // of those, SYNs the capture saw
  std::int64_t drained_ms = 0;            // the stop's wait for connections to end
  std::uint64_t open_at_stop = 0;         // connections not ended when it gave up
  std::vector<std::string> missing;       // connections whose SYN was not seen (first few)
  json flows = json::array();             // flows to/from the target
  json findings = json::array();          // plaintext API / credential findings
  std::vector<std::string> violations;    // one line each, worst first
  std::vector<results::Finding> records;  // the same, as records for the verdict
  // Never failing: flows where only vantage's own plaintext detection crossed,
  // unanswered (capture finding detection-login), as info records.
  std::vector<results::Finding> information;
  std::vector<std::string> information_texts() const;
  std::vector<std::string> tls_versions;  // negotiated, on the TLS ports
  json evidence() const override;
};

class CaptureSpec final : public CheckSpec {
 public:
  bool no_plaintext_api = false;
  std::optional<std::vector<std::string>> tls_versions_seen;  // canonical names
  std::vector<std::uint16_t> api_ports{8728};
  std::vector<std::uint16_t> tls_ports{8729};
  json expect_json;
  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
};

class CaptureProbe final : public Probe {
 public:
  std::string_view name() const override { return "capture"; }
  std::string_view summary() const override {
    return "packet-capture evidence: no plaintext API or credential on the wire, TLS versions "
           "witnessed (self-validated against vantage's own connections)";
  }
  bool needs_port() const override { return false; }
  bool uses_sources() const override { return false; }
  bool holds_session() const override { return false; }
  Phase phase() const override { return Phase::kAfterAll; }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

}  // namespace vantage::probes
