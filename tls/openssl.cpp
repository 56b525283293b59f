#include "tls/openssl.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace vantage::tls {

void SslCtxFree::operator()(ssl_ctx_st* p) const {
  SSL_CTX_free(p);
}
void SslFree::operator()(ssl_st* p) const {
  SSL_free(p);
}
void X509Free::operator()(x509_st* p) const {
  X509_free(p);
}
void BioFree::operator()(bio_st* p) const {
  BIO_free_all(p);
}
void EvpPkeyFree::operator()(evp_pkey_st* p) const {
  EVP_PKEY_free(p);
}

X509Ptr share(x509_st* cert) {
  if (cert) X509_up_ref(cert);
  return X509Ptr(cert);
}

X509Ptr x509_from_der(const unsigned char* der, std::size_t len) {
  const unsigned char* p = der;
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(len)));
}

std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

}  // namespace vantage::tls
