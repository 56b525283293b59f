#pragma once
// What an auditor needs to know about a certificate chain, extracted with
// OpenSSL: identity, validity, fingerprints, key, signature; plus the checks
// (trust, RFC 6125 name match, order, completeness, pins).
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "tls/openssl.hpp"

namespace vantage::tls {

struct CertInfo {
  std::string subject;  // RFC 2253: "CN=core-rtr-1,O=Example"
  std::string issuer;
  std::string serial;      // uppercase hex
  std::string not_before;  // ISO 8601 UTC: "2026-01-02T03:04:05Z"
  std::string not_after;
  std::int64_t lifespan_days = 0;  // not_after - not_before
  std::int64_t days_left = 0;      // whole days until not_after; negative once expired
  bool expired = false;
  bool not_yet_valid = false;
  std::vector<std::string> dns_names;     // subjectAltName dNSName
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress
  std::string common_name;
  std::string sha256;              // of the DER certificate, lowercase hex
  std::string spki_sha256;         // of the DER SubjectPublicKeyInfo, lowercase hex
  std::string spki_sha256_base64;  // the same, base64 (HPKP "pin-sha256" form)
  std::string key_type;            // "RSA", "EC", "ED25519", "ED448", "DSA", "DH"
  int key_bits = 0;
  std::string curve;           // EC: "prime256v1"
  std::string signature;       // "sha256WithRSAEncryption"
  std::string signature_hash;  // "sha256", "sha1", "md5"; "" when intrinsic (Ed25519)
  bool has_eku = false;
  bool eku_server_auth = false;
  bool self_signed = false;
  bool is_ca = false;
};

CertInfo describe(x509_st* cert, std::time_t now);

enum class NameMatch { kMatch, kMismatch, kMatchByCommonName };
// RFC 6125: DNS-ID (wildcard only as the whole left-most label) or IP SAN;
// the subject CN is consulted only when the certificate has no SAN at all.
NameMatch match_name(x509_st* cert, const std::string& name);

struct ChainReport {
  bool in_order = true;       // each certificate names the next as issuer AND is signed by it
  std::string order_problem;  // which certificate does not issue the one before it
  bool complete = false;      // ends self-signed, or its last issuer is a trust anchor
  bool trusted = false;       // verifies to an anchor in the store (time not considered)
  std::string trust_error;    // OpenSSL's verify error text
};

// Verifies `chain` (leaf first, as sent) against `ca_file`, or the system
// store when ca_file is empty. Validity dates are judged separately, so an
// expired certificate still shows whether it chains to the anchor.
// Throws vantage::Error when the CA file cannot be read.
ChainReport check_chain(const std::vector<X509Ptr>& chain, const std::string& ca_file);

// A pin is 64 hex digits (colons allowed) of the SHA-256 of a certificate or
// of its SPKI, or "sha256/<base64>" of the SPKI. Returns what it matched
// ("certificate", "spki") for cert, or nullopt.
std::optional<std::string> pin_matches(const CertInfo& cert, const std::string& pin);
struct PinReport {
  std::optional<std::string> matched;  // "certificate of chain[1]", "spki of chain[0]"
  bool verified = false;  // the leaf verifies, by signatures, to the pinned certificate
  std::string error;      // OpenSSL's verify error when matched but not verified
};
// A pin is satisfied only by a verified path: X509_verify_cert from the leaf
// with the certificate the pin names (by hash, or by SPKI) as the ONLY trust
// anchor (X509_V_FLAG_PARTIAL_CHAIN), every signature checked, dates not
// (judged apart). A chain that merely contains the pinned certificate next to
// a leaf it did not sign does not satisfy it. Throws vantage::Error only when
// OpenSSL cannot allocate.
PinReport check_pins(const std::vector<X509Ptr>& chain, const std::vector<std::string>& pins);
// Whether `pin` is syntactically valid.
bool valid_pin(const std::string& pin);

}  // namespace vantage::tls
