#include "routeros/legacy_login.hpp"

#include <openssl/evp.h>

#include <memory>
#include <vector>

namespace vantage::routeros {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> legacy_login_response(std::string_view password,
                                                 std::string_view ret_hex) {
  if (ret_hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> input;
  input.push_back(0);
  input.insert(input.end(), password.begin(), password.end());
  for (std::size_t i = 0; i < ret_hex.size(); i += 2) {
    int hi = hex_value(ret_hex[i]), lo = hex_value(ret_hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    input.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(input.data(), input.size(), md, &md_len, EVP_md5(), nullptr) != 1)
    return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "00";
  for (unsigned int i = 0; i < md_len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

}  // namespace vantage::routeros
