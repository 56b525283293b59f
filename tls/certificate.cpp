#include "tls/certificate.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "tls/trust_cache.hpp"

namespace vantage::tls {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", p[i]);
  return out;
}

std::string name_text(X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string iso_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string b64(const unsigned char* p, std::size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::string lower_hex_digits(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ':' && c != ' ')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

CertInfo describe(x509_st* cert, std::time_t now) {
  CertInfo ci;
  if (!cert) return ci;
  ci.subject = name_text(X509_get_subject_name(cert));
  ci.issuer = name_text(X509_get_issuer_name(cert));
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    char* h = BN_bn2hex(bn);
    ci.serial = h ? h : "";
    OPENSSL_free(h);
    BN_free(bn);
  }
  const ASN1_TIME* nb = X509_get0_notBefore(cert);
  const ASN1_TIME* na = X509_get0_notAfter(cert);
  ci.not_before = iso_time(nb);
  ci.not_after = iso_time(na);
  ci.not_yet_valid = X509_cmp_time(nb, &now) > 0;
  ci.expired = X509_cmp_time(na, &now) < 0;
  int days = 0, secs = 0;
  ASN1_TIME* now_t = ASN1_TIME_set(nullptr, now);
  if (now_t && ASN1_TIME_diff(&days, &secs, now_t, na) == 1)
    ci.days_left = days - ((days <= 0 && secs < 0) ? 1 : 0);
  ASN1_TIME_free(now_t);
  if (ASN1_TIME_diff(&days, &secs, nb, na) == 1) ci.lifespan_days = days;

  if (auto* sans = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
      if (gn->type == GEN_DNS) {
        const ASN1_STRING* s = gn->d.dNSName;
        ci.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                  static_cast<std::size_t>(ASN1_STRING_length(s)));
      } else if (gn->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* ip = gn->d.iPAddress;
        char buf[INET6_ADDRSTRLEN] = {};
        int len = ASN1_STRING_length(ip);
        if ((len == 4 || len == 16) &&
            inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), buf, sizeof buf))
          ci.ip_addresses.emplace_back(buf);
      }
    }
    GENERAL_NAMES_free(sans);
  }
  {
    X509_NAME* subj = X509_get_subject_name(cert);
    int idx = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
    if (idx >= 0) {
      const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx));
      ci.common_name.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                            static_cast<std::size_t>(ASN1_STRING_length(s)));
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  if (X509_digest(cert, EVP_sha256(), md, &mdlen) == 1) ci.sha256 = hex(md, mdlen);
  if (X509_pubkey_digest(cert, EVP_sha256(), md, &mdlen) == 1) {
    ci.spki_sha256 = hex(md, mdlen);
    ci.spki_sha256_base64 = b64(md, mdlen);
  }
  if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
    ci.key_bits = EVP_PKEY_get_bits(key);
    switch (EVP_PKEY_get_base_id(key)) {
      case EVP_PKEY_RSA: ci.key_type = "RSA"; break;
      case EVP_PKEY_RSA_PSS: ci.key_type = "RSA-PSS"; break;
      case EVP_PKEY_EC: ci.key_type = "EC"; break;
      case EVP_PKEY_ED25519: ci.key_type = "ED25519"; break;
      case EVP_PKEY_ED448: ci.key_type = "ED448"; break;
      case EVP_PKEY_DSA: ci.key_type = "DSA"; break;
      default: ci.key_type = OBJ_nid2sn(EVP_PKEY_get_base_id(key)); break;
    }
    char group[80] = {};
    std::size_t glen = 0;
    if (ci.key_type == "EC" &&
        EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &glen) == 1)
      ci.curve = group;
  }
  int sig_nid = X509_get_signature_nid(cert);
  ci.signature = OBJ_nid2ln(sig_nid) ? OBJ_nid2ln(sig_nid) : "";
  int md_nid = NID_undef, pk_nid = NID_undef;
  if (OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid) && md_nid != NID_undef)
    ci.signature_hash = OBJ_nid2sn(md_nid) ? OBJ_nid2sn(md_nid) : "";
  for (char& c : ci.signature_hash)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::uint32_t xku = X509_get_extended_key_usage(cert);
  ci.has_eku = (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0;
  ci.eku_server_auth = ci.has_eku && (xku & XKU_SSL_SERVER) != 0;
  ci.self_signed = (X509_get_extension_flags(cert) & EXFLAG_SS) != 0;
  ci.is_ca = X509_check_ca(cert) != 0;
  return ci;
}

NameMatch match_name(x509_st* cert, const std::string& name) {
  in_addr a4{};
  in6_addr a6{};
  bool ip =
      inet_pton(AF_INET, name.c_str(), &a4) == 1 || inet_pton(AF_INET6, name.c_str(), &a6) == 1;
  if (ip)
    return X509_check_ip_asc(cert, name.c_str(), 0) == 1 ? NameMatch::kMatch : NameMatch::kMismatch;
  bool has_san = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1) >= 0;
  unsigned flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
  if (X509_check_host(cert, name.c_str(), name.size(), flags, nullptr) == 1)
    return NameMatch::kMatch;
  if (!has_san &&
      X509_check_host(cert, name.c_str(), name.size(),
                      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT,
                      nullptr) == 1)
    return NameMatch::kMatchByCommonName;
  return NameMatch::kMismatch;
}

ChainReport check_chain(const std::vector<X509Ptr>& chain, const std::string& ca_file) {
  ChainReport r;
  if (chain.empty()) {
    r.in_order = false;
    r.trust_error = "no certificate";
    return r;
  }
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    if (X509_check_issued(chain[i + 1].get(), chain[i].get()) != X509_V_OK) {
      r.in_order = false;
      r.order_problem = fmt::format("certificate {} does not issue certificate {}", i + 1, i);
      break;
    }
    // Names and key identifiers are claims anyone can copy; the signature is
    // the proof.
    EVP_PKEY* issuer_key = X509_get0_pubkey(chain[i + 1].get());
    if (!issuer_key || X509_verify(chain[i].get(), issuer_key) != 1) {
      r.in_order = false;
      r.order_problem = fmt::format(
          "certificate {} names certificate {} as its issuer, but its signature does not verify "
          "with that certificate's key",
          i, i + 1);
      break;
    }
  }
  ERR_clear_error();
  X509StorePtr store = shared_trust_store(ca_file);
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_free(s); });
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get());
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  r.trusted = X509_verify_cert(ctx.get()) == 1;
  int err = X509_STORE_CTX_get_error(ctx.get());
  if (!r.trusted) r.trust_error = X509_verify_cert_error_string(err);
  const bool missing_issuer = err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
                              err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
  const bool ends_self_signed = (X509_get_extension_flags(chain.back().get()) & EXFLAG_SS) != 0;
  r.complete = ends_self_signed || r.trusted || !missing_issuer;
  ERR_clear_error();
  return r;
}

PinReport check_pins(const std::vector<X509Ptr>& chain, const std::vector<std::string>& pins) {
  PinReport r;
  if (chain.empty() || pins.empty()) return r;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const CertInfo info = describe(chain[i].get(), std::time(nullptr));
    std::optional<std::string> kind;
    for (const auto& pin : pins)
      if ((kind = pin_matches(info, pin))) break;
    if (!kind) continue;
    const std::string which = fmt::format("{} of chain[{}]", *kind, i);
    // The pinned certificate is the only anchor; the rest of the chain may
    // only serve as intermediates, and every signature from the leaf up to
    // the anchor is checked. Dates are judged apart.
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                  X509_STORE_free);
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
        sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_free(s); });
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                        X509_STORE_CTX_free);
    if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), chain[i].get()) != 1)
      throw Error("cannot set up pin verification: " + openssl_errors());
    for (std::size_t j = 1; j < chain.size(); ++j) sk_X509_push(untrusted.get(), chain[j].get());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get()) != 1)
      throw Error("cannot set up pin verification: " + openssl_errors());
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
    const bool ok = X509_verify_cert(ctx.get()) == 1;
    const int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (ok) {
      r.matched = which;
      r.verified = true;
      r.error.clear();
      return r;
    }
    if (!r.matched) {
      r.matched = which;
      r.error = X509_verify_cert_error_string(err);
    }
  }
  return r;
}

bool valid_pin(const std::string& pin) {
  if (pin.rfind("sha256/", 0) == 0) return pin.size() == 7 + 44 && pin.back() == '=';
  std::string h = lower_hex_digits(pin);
  return h.size() == 64 && std::all_of(h.begin(), h.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

std::optional<std::string> pin_matches(const CertInfo& cert, const std::string& pin) {
  if (pin.rfind("sha256/", 0) == 0) {
    if (pin.substr(7) == cert.spki_sha256_base64) return "spki";
    return std::nullopt;
  }
  std::string h = lower_hex_digits(pin);
  if (!cert.sha256.empty() && h == cert.sha256) return "certificate";
  if (!cert.spki_sha256.empty() && h == cert.spki_sha256) return "spki";
  return std::nullopt;
}

}  // namespace vantage::tls
