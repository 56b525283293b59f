#pragma once
// An address prefix as written in RouterOS's `address` / `available-from`
// lists: "192.0.2.0/24", "198.51.100.7" (a /32), "2001:db8::/32".
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vantage::lab {

class Prefix {
 public:
  // nullopt when `text` is not an address or prefix (or has host bits set).
  static std::optional<Prefix> parse(std::string_view text);
  // `addr` is a numeric IPv4 or IPv6 address; IPv4-mapped IPv6 matches IPv4.
  bool contains(std::string_view addr) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool v6_ = false;
  std::array<std::uint8_t, 16> bytes_{};
  int bits_ = 0;
};

}  // namespace vantage::lab
