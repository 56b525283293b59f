#pragma once
// An in-memory CA and a server certificate it signed, for `"certificate":
// "self-signed"`: the demo and tests get a verifiable TLS service without
// shipping private keys. RSA 2048, SHA-256, valid for `days`.
#include <string>
#include <vector>

namespace vantage::lab {

struct GeneratedCert {
  std::string ca_pem;    // the lab CA: what a client trusts
  std::string cert_pem;  // server certificate (CN = first name)
  std::string key_pem;   // server private key (lives only in memory)
};

// `names`: DNS names and numeric IP addresses for subjectAltName; the first is the CN.
// Throws vantage::Error when OpenSSL fails.
GeneratedCert generate_self_signed(const std::vector<std::string>& names, int days = 365);

}  // namespace vantage::lab
