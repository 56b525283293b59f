#pragma once
// The certificate probe: the chain through an OpenSSL handshake, judged for
// trust (system store, CA file or pin), RFC 6125 name, validity, key, signature,
// EKU and chain order. An anonymous suite (no certificate at all) is a fail.
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "tls/certificate.hpp"

namespace vantage::probes {

struct CertificateObservation : Observation {
  std::string remote;
  bool anonymous = false;  // handshake only succeeded with an anonymous (ADH/AECDH) suite
  std::string version;     // negotiated
  std::string cipher;
  std::string first_failure;         // why the authenticated handshake failed, when it did
  std::vector<tls::CertInfo> chain;  // as sent, leaf first
  tls::ChainReport chain_report;
  std::string trust_mode;  // "system", "ca_file", "pin"
  std::string name;        // the name checked ("" when none)
  std::optional<tls::NameMatch> name_match;
  std::optional<std::string> pin_match;  // "certificate"/"spki" of chain[i]
  bool pin_verified = false;             // the leaf verifies to that certificate alone
  std::string pin_error;                 // why it does not, when it does not
  // The chain came from an OpenSSL handshake, which proved the server holds
  // the leaf's key. A chain read from a hand-built hello proves nothing of
  // the kind: it is reported, and trust stays unknown.
  bool key_possession_proven = false;
  json evidence() const override;
};

class CertificateSpec final : public CheckSpec {
 public:
  std::string ca_file;            // trust: {"ca_file": ...}
  std::vector<std::string> pins;  // trust: {"pin": ...}
  bool system_trust = true;
  std::string name;  // expected name ("" : target's server_name or host)
  std::optional<int> min_days_left;
  std::optional<int> min_rsa_bits;
  std::optional<int> min_ec_bits;
  std::vector<std::string> forbid_signatures;  // hash names: sha1, md5 (or full names)
  std::string server_name;                     // SNI
  json expect_json;
  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
  // What is wrong with the chain, a record each (kind, item: the subject or
  // name concerned, category, text); judge() puts them in the verdict.
  std::vector<results::Finding> findings(const CertificateObservation& obs) const;
};

class CertificateProbe final : public Probe {
 public:
  std::string_view name() const override { return "certificate"; }
  std::string_view summary() const override {
    return "certificate chain: trust (store, CA file, pin), name, validity, key, signature, EKU, "
           "order; anonymous TLS fails";
  }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

}  // namespace vantage::probes
