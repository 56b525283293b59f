#include "lab/prefix.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vantage::lab {

namespace {
// Parses a numeric address into 16 bytes; IPv4 (and IPv4-mapped IPv6) into the first 4.
bool parse_addr(const std::string& s, bool& v6, std::array<std::uint8_t, 16>& out) {
  out.fill(0);
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    v6 = false;
    std::memcpy(out.data(), &a4, 4);
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(&a6, kMapped, 12) == 0) {
      v6 = false;
      std::memcpy(out.data(), reinterpret_cast<const std::uint8_t*>(&a6) + 12, 4);
    } else {
      v6 = true;
      std::memcpy(out.data(), &a6, 16);
    }
    return true;
  }
  return false;
}

bool prefix_match(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                  int bits) {
  int full = bits / 8, rest = bits % 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[static_cast<std::size_t>(full)] & mask) == (b[static_cast<std::size_t>(full)] & mask);
}
}  // namespace

std::optional<Prefix> Prefix::parse(std::string_view text) {
  Prefix p;
  p.text_ = std::string(text);
  auto slash = text.find('/');
  std::string addr(text.substr(0, slash));
  if (!parse_addr(addr, p.v6_, p.bytes_)) return std::nullopt;
  const int max_bits = p.v6_ ? 128 : 32;
  p.bits_ = max_bits;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    int bits = -1;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || bits < 0 || bits > max_bits)
      return std::nullopt;
    p.bits_ = bits;
  }
  // Host bits must be clear: "192.0.2.1/24" is more likely a typo than a prefix.
  std::array<std::uint8_t, 16> masked = p.bytes_;
  for (int i = p.bits_; i < max_bits; ++i)
    masked[static_cast<std::size_t>(i / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (i % 8)));
  if (masked != p.bytes_) return std::nullopt;
  return p;
}

bool Prefix::contains(std::string_view addr) const {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  if (!parse_addr(std::string(addr), v6, bytes)) return false;
  return v6 == v6_ && prefix_match(bytes, bytes_, bits_);
}

}  // namespace vantage::lab
