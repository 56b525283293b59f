#pragma once
// The OpenSSL server context of a TLS service, configured the way RouterOS's
// settings read:
//   certificate none   -> anonymous DH suites only ("ADH:@SECLEVEL=0"), TLS 1.2 at most
//   a certificate      -> default suites with DHE enabled; TLS 1.2 and 1.3
//   tls-version only-1.2 -> TLS 1.2 only
//   legacy-tls         -> also TLS 1.0 and 1.1, at SECLEVEL 0 (they need SHA-1)
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "lab/config.hpp"
#include "lab/self_signed.hpp"

namespace vantage::lab {

// `generated` is used for Certificate::Kind::kSelfSigned. Throws vantage::Error.
boost::asio::ssl::context make_server_context(const Service& svc, const GeneratedCert* generated);

// What /certificate shows of the certificate a context serves; nullopt for
// certificate=none. The fingerprint is as RouterOS prints it: SHA-256, lower-case hex.
struct CertFacts {
  std::string common_name, fingerprint, key_type;
  std::chrono::system_clock::time_point not_after;
};
std::optional<CertFacts> served_certificate(boost::asio::ssl::context& ctx);

}  // namespace vantage::lab
