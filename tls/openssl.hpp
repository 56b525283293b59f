#pragma once
// Move-only owners of OpenSSL handles. The OpenSSL types are only
// forward-declared here, so users of tls/ do not pull in <openssl/*.h>.
#include <memory>
#include <string>

struct ssl_ctx_st;   // SSL_CTX
struct ssl_st;       // SSL
struct x509_st;      // X509
struct bio_st;       // BIO
struct evp_pkey_st;  // EVP_PKEY

namespace vantage::tls {

struct SslCtxFree {
  void operator()(ssl_ctx_st* p) const;
};
struct SslFree {
  void operator()(ssl_st* p) const;
};
struct X509Free {
  void operator()(x509_st* p) const;
};
struct BioFree {
  void operator()(bio_st* p) const;
};
struct EvpPkeyFree {
  void operator()(evp_pkey_st* p) const;
};

using SslCtxPtr = std::unique_ptr<ssl_ctx_st, SslCtxFree>;
using SslPtr = std::unique_ptr<ssl_st, SslFree>;
using X509Ptr = std::unique_ptr<x509_st, X509Free>;
using BioPtr = std::unique_ptr<bio_st, BioFree>;
using EvpPkeyPtr = std::unique_ptr<evp_pkey_st, EvpPkeyFree>;

// A new owning reference to an X509 someone else owns (X509_up_ref).
X509Ptr share(x509_st* cert);
// Parses DER; null on malformed input.
X509Ptr x509_from_der(const unsigned char* der, std::size_t len);
// The OpenSSL error queue drained into one line ("" when empty).
std::string openssl_errors();

}  // namespace vantage::tls
