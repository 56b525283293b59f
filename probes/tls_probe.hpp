#pragma once
// The tls probe: protocol versions by hand-built ClientHello, accepted
// cipher suites per version, DH group sizes, and policy profiles.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "tls/certificate.hpp"
#include "tls/policy.hpp"
#include "tls/scanner.hpp"

namespace vantage::probes {

struct TlsObservation : Observation {
  std::string remote;
  std::string source;  // the vantage point's name, for "mgmt cannot reach ..."
  tls::ScanResult scan;
  std::optional<tls::CertInfo> leaf;  // when the policy needs it and one was seen
  std::string leaf_source;            // "TLS 1.2 flight" or "OpenSSL handshake"
  double elapsed_ms = 0;
  json evidence() const override;
  // Accepted version names, oldest first.
  std::vector<std::string> accepted_versions() const;
  // Whether any version got a TLS answer (ServerHello or alert).
  bool any_tls_answer() const;
};

class TlsSpec final : public CheckSpec {
 public:
  int fds() const override;
  int connections() const override;
  std::vector<tls::Version> accept;
  std::vector<tls::Version> reject;
  std::uint32_t forbid_classes = 0;       // tls::SuiteClass bits
  std::set<std::uint16_t> forbid_suites;  // by name
  std::vector<std::string> forbid_text;   // as written
  bool require_forward_secrecy = false;
  std::optional<int> min_dh_bits;
  std::optional<tls::Policy> policy;
  std::string server_name;
  bool parallel = true;  // versions probed concurrently (one connection each at a time)
  json expect_json;
  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
  // Every finding, one sentence each (empty: pass).
  std::vector<results::Finding> findings(const TlsObservation& obs) const;
  // What this expectation needs and the observation does not show: a
  // version neither accepted nor refused, a cut-short enumeration, a DH/ECDH
  // size never seen, a certificate the policy judges and never seen. observe()
  // stores it in Observation::unknowns; decide() applies the rule.
  std::vector<std::string> unknowns(const TlsObservation& obs) const;
};

class TlsProbe final : public Probe {
 public:
  std::string_view name() const override { return "tls"; }
  std::string_view summary() const override {
    return "TLS versions (hand-built hellos, SSLv3..TLS 1.3), cipher suites, DH groups, policy "
           "profiles";
  }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

}  // namespace vantage::probes
