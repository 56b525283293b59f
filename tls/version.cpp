#include "tls/version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vantage::tls {

const std::array<Version, 5>& all_versions() {
  static const std::array<Version, 5> v = {Version::kSsl3, Version::kTls10, Version::kTls11,
                                           Version::kTls12, Version::kTls13};
  return v;
}

const char* to_string(Version v) {
  switch (v) {
    case Version::kSsl3: return "SSLv3";
    case Version::kTls10: return "TLSv1.0";
    case Version::kTls11: return "TLSv1.1";
    case Version::kTls12: return "TLSv1.2";
    case Version::kTls13: return "TLSv1.3";
  }
  return "?";
}

std::string version_name(std::uint16_t w) {
  for (Version v : all_versions())
    if (wire(v) == w) return to_string(v);
  return fmt::format("0x{:04x}", w);
}

std::optional<Version> version_from(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != 'v' && c != 'V' && c != ' ' && c != '_' && c != '.')
      n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  // Now e.g. "ssl3", "tls10", "tls1", "tls12", "tls13".
  if (n == "ssl3" || n == "ssl30") return Version::kSsl3;
  if (n == "tls1" || n == "tls10") return Version::kTls10;
  if (n == "tls11") return Version::kTls11;
  if (n == "tls12") return Version::kTls12;
  if (n == "tls13") return Version::kTls13;
  return std::nullopt;
}

}  // namespace vantage::tls
