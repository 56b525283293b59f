#pragma once
// An in-memory CA and server certificates it signs, for `"certificate":
// "self-signed"`: the demo and tests get a verifiable TLS service without
// shipping private keys. RSA 2048 or ECDSA P-256, SHA-256, valid for `days`.
#include <memory>
#include <string>
#include <vector>

namespace vantage::lab {

// ECDSA makes a fleet cheap: key generation and a handshake's signature cost
// microseconds instead of RSA's milliseconds, so a rehearsal measures vantage.
enum class KeyType { kRsa, kEcdsa };

struct GeneratedCert {
  std::string ca_pem;    // the lab CA: what a client trusts
  std::string cert_pem;  // server certificate (CN = first name)
  std::string key_pem;   // server private key (lives only in memory)
};

// A CA and one server key, made once; issue() signs a certificate per router
// (its own names, serial and fingerprint) over that key, so a fleet of 1000
// routers costs one key generation, not 1000.
class LabCa {
 public:
  explicit LabCa(KeyType type, int days = 365);
  ~LabCa();
  LabCa(const LabCa&) = delete;
  LabCa& operator=(const LabCa&) = delete;

  // `names`: DNS names and numeric IP addresses for subjectAltName; the first is the CN.
  GeneratedCert issue(const std::vector<std::string>& names) const;
  const std::string& ca_pem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A new CA and a certificate for `names` (the single-router case).
// Throws vantage::Error when OpenSSL fails.
GeneratedCert generate_self_signed(const std::vector<std::string>& names, int days = 365,
                                   KeyType type = KeyType::kRsa);

}  // namespace vantage::lab
