#include "tls/cipher_suites.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

namespace vantage::tls {

bool CipherSuite::ffdhe_kx() const {
  return std::strcmp(kx, "DHE") == 0 ||
         (std::strcmp(kx, "DH") == 0 && std::strcmp(auth, "anon") == 0);
}
bool CipherSuite::ecdhe_kx() const {
  return std::strcmp(kx, "ECDHE") == 0 ||
         (std::strcmp(kx, "ECDH") == 0 && std::strcmp(auth, "anon") == 0);
}

const CipherSuite* find_suite(std::uint16_t code) {
  const auto& t = cipher_suites();
  auto it = std::lower_bound(t.begin(), t.end(), code,
                             [](const CipherSuite& s, std::uint16_t c) { return s.code < c; });
  return it != t.end() && it->code == code ? &*it : nullptr;
}

const CipherSuite* find_suite(std::string_view name) {
  std::string n(name);
  for (const auto& s : cipher_suites())
    if (strcasecmp(s.iana, n.c_str()) == 0 || (*s.openssl && strcasecmp(s.openssl, n.c_str()) == 0))
      return &s;
  return nullptr;
}

std::string suite_name(std::uint16_t code) {
  if (const CipherSuite* s = find_suite(code)) return s->iana;
  return fmt::format("0x{:04X}", code);
}

const std::vector<SuiteClass>& all_suite_classes() {
  static const std::vector<SuiteClass> v = {
      SuiteClass::kAnonymous, SuiteClass::kNull, SuiteClass::kExport, SuiteClass::kRc4,
      SuiteClass::k3des,      SuiteClass::kDes,  SuiteClass::kCbc,    SuiteClass::kNoForwardSecrecy,
      SuiteClass::kAead};
  return v;
}

const char* to_string(SuiteClass c) {
  switch (c) {
    case SuiteClass::kAnonymous: return "anonymous";
    case SuiteClass::kNull: return "null";
    case SuiteClass::kExport: return "export";
    case SuiteClass::kRc4: return "rc4";
    case SuiteClass::k3des: return "3des";
    case SuiteClass::kDes: return "des";
    case SuiteClass::kCbc: return "cbc";
    case SuiteClass::kNoForwardSecrecy: return "no-forward-secrecy";
    case SuiteClass::kAead: return "aead";
  }
  return "?";
}

std::optional<SuiteClass> suite_class_from(std::string_view name) {
  for (SuiteClass c : all_suite_classes())
    if (name == to_string(c)) return c;
  return std::nullopt;
}

std::vector<std::string> class_names(std::uint32_t classes) {
  std::vector<std::string> out;
  for (SuiteClass c : all_suite_classes())
    if (classes & static_cast<std::uint32_t>(c)) out.emplace_back(to_string(c));
  return out;
}

const std::vector<std::uint16_t>& legacy_suite_codes() {
  static const std::vector<std::uint16_t> v = [] {
    std::vector<std::uint16_t> out;
    for (const auto& s : cipher_suites())
      if (!s.tls13 && s.code != 0x0000) out.push_back(s.code);
    return out;
  }();
  return v;
}

const std::vector<std::uint16_t>& common_suite_codes() {
  static const std::vector<std::uint16_t> v = [] {
    std::vector<std::uint16_t> out;
    for (const auto& s : cipher_suites()) {
      const std::string_view kx(s.kx), auth(s.auth), enc(s.enc);
      const bool kx_ok = kx == "RSA" || kx == "DHE" || kx == "ECDHE" ||
                         ((kx == "DH" || kx == "ECDH") && auth == "anon");
      const bool auth_ok = auth == "RSA" || auth == "ECDSA" || auth == "DSS" || auth == "anon";
      const bool enc_ok = enc.find("ARIA") == std::string_view::npos &&
                          enc.find("CAMELLIA") == std::string_view::npos &&
                          enc.find("CCM") == std::string_view::npos;
      if (!s.tls13 && *s.openssl && kx_ok && auth_ok && enc_ok) out.push_back(s.code);
    }
    return out;
  }();
  return v;
}

const std::vector<std::uint16_t>& tls13_suite_codes() {
  static const std::vector<std::uint16_t> v = {0x1301, 0x1302, 0x1303, 0x1304, 0x1305};
  return v;
}

}  // namespace vantage::tls
