#pragma once
// TLS policy profiles: what versions, suites, certificate types, signatures
// and key sizes an endpoint may offer. Shipped profiles (policies/*.json,
// compiled in) are made from Mozilla's server-side TLS guidelines; users add
// their own file by path. Every deviation is its own finding.
//
// File format (JSON, comments allowed; every key but "name" optional):
//   { "vantage_tls_policy": 1, "name": "...", "source": "...",
//     "versions": ["TLSv1.2", "TLSv1.3"],
//     "ciphers": [IANA or OpenSSL names, TLS <= 1.2],
//     "ciphersuites": [TLS 1.3 IANA names],
//     "certificate_types": ["rsa", "ecdsa", "ed25519"],
//     "certificate_signatures": ["sha256WithRSAEncryption", "ecdsa-with-SHA256"],
//     "certificate_curves": ["prime256v1"], "rsa_key_size": 2048,
//     "dh_param_size": 2048, "ecdh_param_size": 256, "maximum_certificate_lifespan": 366 }
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tls/certificate.hpp"
#include "tls/scanner.hpp"

namespace vantage::tls {

struct Policy {
  std::string name;
  std::string source;  // where the values come from
  std::vector<Version> versions;
  std::optional<std::set<std::uint16_t>> ciphers;       // TLS <= 1.2; nullopt: not constrained
  std::optional<std::set<std::uint16_t>> ciphersuites;  // TLS 1.3
  std::vector<std::string> certificate_types;           // lower case: rsa, ecdsa, ed25519
  std::vector<std::string> certificate_signatures;      // OpenSSL long names
  std::vector<std::string> certificate_curves;
  std::optional<int> rsa_key_size;
  std::optional<int> dh_param_size;
  std::optional<int> ecdh_param_size;
  std::optional<int> maximum_certificate_lifespan;  // days
};

// Names of the compiled-in profiles: mozilla-intermediate, mozilla-modern, ...
std::vector<std::string> builtin_policy_names();
// A built-in name, or a path (relative paths resolve against base_dir).
// Throws ConfigError (located, with did-you-mean) for bad files or names.
Policy load_policy(const std::string& name_or_path, const std::filesystem::path& base_dir);
// Parses policy text; `file` labels diagnostics.
Policy parse_policy(const std::string& file, const std::string& text);

struct Deviation {
  std::string area;     // "version", "cipher", "certificate", "key", "dh"
  std::string message;  // "TLSv1.0 accepted; mozilla-intermediate allows TLSv1.2, TLSv1.3"
};

// Whether the policy judges the server certificate at all.
bool policy_needs_certificate(const Policy& p);

// The key exchange of an accepted suite, for judging its size. Finite-field:
// DHE/ADH (size from the ServerKeyExchange) or a TLS 1.3 ffdhe key share.
// Elliptic-curve: ECDHE/AECDH (group from the ServerKeyExchange) or a TLS 1.3
// EC key share. A size never seen is an unknown, never a pass.
bool ffdhe_exchange(const SuiteResult& s);
bool ecdhe_exchange(const SuiteResult& s);
// Bits of a named EC group; 0 when unknown.
int ecdh_group_bits(std::uint16_t group);
// "TLSv1.2 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: DH group size never seen (...)"
// when `s` uses finite-field DH and its size was not seen; "" otherwise.
std::string dh_size_unknown(Version v, const SuiteResult& s);
// The same for an elliptic-curve group never seen, or of unknown size.
std::string ecdh_size_unknown(Version v, const SuiteResult& s);

// What the policy needs and the scan did not show: DH/ECDH sizes never seen
// for suites it judges, and the certificate when it judges one and none was
// seen. One sentence each; any entry keeps the check from passing.
std::vector<std::string> policy_unknowns(const Policy& p, const ScanResult& scan,
                                         const std::optional<CertInfo>& leaf);

// Every way the observed endpoint departs from the policy. `leaf` is the
// server certificate when one was seen (anonymous endpoints have none).
std::vector<Deviation> policy_deviations(const Policy& p, const ScanResult& scan,
                                         const std::optional<CertInfo>& leaf);

}  // namespace vantage::tls
