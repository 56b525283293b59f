#pragma once
// Protocol versions as they appear on the wire, and their report names.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vantage::tls {

enum class Version : std::uint16_t {
  kSsl3 = 0x0300,
  kTls10 = 0x0301,
  kTls11 = 0x0302,
  kTls12 = 0x0303,
  kTls13 = 0x0304,
};

// Oldest first: SSLv3 .. TLSv1.3.
const std::array<Version, 5>& all_versions();
// "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3".
const char* to_string(Version v);
// Any wire value: a known name, or "0x0305".
std::string version_name(std::uint16_t wire);
// Accepts the report names plus common spellings: "TLSv1", "TLS1.2", "tls1_2", "SSL3".
std::optional<Version> version_from(std::string_view name);
inline std::uint16_t wire(Version v) {
  return static_cast<std::uint16_t>(v);
}

}  // namespace vantage::tls
