#include "lab/self_signed.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>

#include "core/error.hpp"

namespace vantage::lab {

namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

void check(bool ok, const char* what) {
  if (!ok) throw Error(std::string("self-signed certificate: ") + what + " failed");
}

Key new_key(KeyType type) {
  Key k(type == KeyType::kEcdsa ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
  check(k != nullptr, type == KeyType::kEcdsa ? "ECDSA key generation" : "RSA key generation");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, int days) {
  Cert c(X509_new());
  check(c != nullptr, "X509_new");
  X509_set_version(c.get(), 2);
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), 86400L * days);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("vantage lab"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(c.get(), issuer ? X509_get_subject_name(issuer) : name);
  return c;
}

std::string pem(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && write(bio.get()) == 1, "PEM encoding");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

struct LabCa::Impl {
  Key ca_key, server_key;
  Cert ca;
  std::string ca_pem, key_pem;
  KeyType type;
  int days;
};

LabCa::LabCa(KeyType type, int days) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.type = type;
  m.days = days;
  m.ca_key = new_key(type);
  m.ca = make_cert(m.ca_key.get(), "vantage lab CA", nullptr, days);
  add_ext(m.ca.get(), m.ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(m.ca.get(), m.ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(m.ca.get(), m.ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(m.ca.get(), m.ca_key.get(), EVP_sha256()) > 0, "CA signature");
  m.server_key = new_key(type);
  m.ca_pem = pem([&](BIO* b) { return PEM_write_bio_X509(b, m.ca.get()); });
  m.key_pem = pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, m.server_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
}

LabCa::~LabCa() = default;

const std::string& LabCa::ca_pem() const {
  return impl_->ca_pem;
}

GeneratedCert LabCa::issue(const std::vector<std::string>& names) const {
  check(!names.empty(), "a certificate name");
  const auto& m = *impl_;
  Cert cert = make_cert(m.server_key.get(), names.front(), m.ca.get(), m.days);
  std::string san;
  for (const auto& n : names)
    san += (san.empty() ? "" : ",") + std::string(is_ip(n) ? "IP:" : "DNS:") + n;
  // keyEncipherment is for RSA key transport only; an EC key never does it.
  const char* usage = m.type == KeyType::kEcdsa ? "critical,digitalSignature"
                                                : "critical,digitalSignature,keyEncipherment";
  add_ext(cert.get(), m.ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), m.ca.get(), NID_key_usage, usage);
  add_ext(cert.get(), m.ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(cert.get(), m.ca.get(), NID_subject_alt_name, san);
  add_ext(cert.get(), m.ca.get(), NID_authority_key_identifier, "keyid");
  check(X509_sign(cert.get(), m.ca_key.get(), EVP_sha256()) > 0, "certificate signature");

  GeneratedCert out;
  out.ca_pem = m.ca_pem;
  out.cert_pem = pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
  out.key_pem = m.key_pem;
  return out;
}

GeneratedCert generate_self_signed(const std::vector<std::string>& names, int days, KeyType type) {
  return LabCa(type, days).issue(names);
}

}  // namespace vantage::lab
