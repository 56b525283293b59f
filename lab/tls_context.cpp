#include "lab/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

#include "core/error.hpp"

namespace vantage::lab {

namespace {

[[noreturn]] void fail(const Service& svc, const std::string& what) {
  unsigned long e = ERR_get_error();
  char buf[256] = "";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  throw Error(svc.name + ": " + what + (e ? std::string(": ") + buf : std::string()));
}

}  // namespace

boost::asio::ssl::context make_server_context(const Service& svc, const GeneratedCert* generated) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_server);
  SSL_CTX* c = ctx.native_handle();
  SSL_CTX_set_options(
      c, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_dh_auto(c, 1);
  const bool anonymous = svc.certificate.kind == Certificate::Kind::kNone;
  int min = svc.legacy_tls ? TLS1_VERSION : TLS1_2_VERSION;
  int max = (anonymous || svc.tls_version == TlsVersion::kOnly12) ? TLS1_2_VERSION : TLS1_3_VERSION;
  if (SSL_CTX_set_min_proto_version(c, min) != 1 || SSL_CTX_set_max_proto_version(c, max) != 1)
    fail(svc, "setting TLS versions");
  if (anonymous) {
    if (SSL_CTX_set_cipher_list(c, "ADH:@SECLEVEL=0") != 1) fail(svc, "ADH cipher list");
    return ctx;
  }
  // Forward-secret suites only, as a hardened api-ssl offers (RouterOS 6.x
  // was seen choosing DHE-RSA-AES256-GCM-SHA384). Security level 1 still
  // serves an RSA 1024 certificate, which a real router would do too; legacy
  // TLS 1.0/1.1 need level 0 for their SHA-1 MACs.
  constexpr const char* kForwardSecret = "ECDHE:DHE:!aNULL:!eNULL:!PSK:!SRP";
  const std::string ciphers =
      std::string(kForwardSecret) + (svc.legacy_tls ? ":@SECLEVEL=0" : ":@SECLEVEL=1");
  if (SSL_CTX_set_cipher_list(c, ciphers.c_str()) != 1) fail(svc, "cipher list");
  if (svc.certificate.kind == Certificate::Kind::kSelfSigned) {
    if (!generated) fail(svc, "no generated certificate");
    boost::system::error_code ec;
    ctx.use_certificate_chain(boost::asio::buffer(generated->cert_pem), ec);
    if (!ec) ctx.use_private_key(boost::asio::buffer(generated->key_pem), ssl::context::pem, ec);
    if (ec) fail(svc, "loading the generated certificate");
  } else {
    const auto& cf = svc.certificate;
    if (SSL_CTX_use_certificate_chain_file(c, cf.cert_file.c_str()) != 1)
      fail(svc, "loading certificate " + cf.cert_file);
    if (!cf.chain_file.empty()) {
      // The chain file may hold several certificates; each is sent after the leaf.
      BIO* bio = BIO_new_file(cf.chain_file.c_str(), "r");
      if (!bio) fail(svc, "opening chain " + cf.chain_file);
      while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        if (SSL_CTX_add_extra_chain_cert(c, x) != 1) {
          X509_free(x);
          BIO_free(bio);
          fail(svc, "adding chain certificate");
        }
      }
      BIO_free(bio);
      ERR_clear_error();  // the read loop ends on "no start line"
    }
    if (SSL_CTX_use_PrivateKey_file(c, cf.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
      fail(svc, "loading key " + cf.key_file);
  }
  if (SSL_CTX_check_private_key(c) != 1) fail(svc, "certificate and key do not match");
  return ctx;
}

std::optional<CertFacts> served_certificate(boost::asio::ssl::context& ctx) {
  X509* cert = SSL_CTX_get0_certificate(ctx.native_handle());
  if (!cert) return std::nullopt;
  CertFacts f;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return std::nullopt;
  static const char* hex = "0123456789abcdef";
  for (unsigned int i = 0; i < n; ++i) {
    f.fingerprint += hex[md[i] >> 4];
    f.fingerprint += hex[md[i] & 15];
  }
  char cn[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0)
    f.common_name = cn;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  f.key_type = key && EVP_PKEY_base_id(key) == EVP_PKEY_EC ? "ec" : "rsa";
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return std::nullopt;
  f.not_after = std::chrono::system_clock::from_time_t(timegm(&tm));
  return f;
}

}  // namespace vantage::lab
