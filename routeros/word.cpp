#include "routeros/word.hpp"

namespace vantage::routeros {

std::vector<std::uint8_t> encode_length(std::uint32_t len) {
  auto b = [len](int shift) { return static_cast<std::uint8_t>((len >> shift) & 0xFF); };
  if (len < 0x80) return {b(0)};
  if (len < 0x4000) return {static_cast<std::uint8_t>(b(8) | 0x80), b(0)};
  if (len < 0x200000) return {static_cast<std::uint8_t>(b(16) | 0xC0), b(8), b(0)};
  if (len < 0x10000000) return {static_cast<std::uint8_t>(b(24) | 0xE0), b(16), b(8), b(0)};
  return {0xF0, b(24), b(16), b(8), b(0)};
}

void append_word(std::vector<std::uint8_t>& out, std::string_view word) {
  auto prefix = encode_length(static_cast<std::uint32_t>(word.size()));
  out.insert(out.end(), prefix.begin(), prefix.end());
  out.insert(out.end(), word.begin(), word.end());
}

DecodedLength decode_length(std::span<const std::uint8_t> in) {
  DecodedLength r;
  if (in.empty()) return r;
  const std::uint8_t first = in[0];
  std::uint32_t value = 0;
  if (first < 0x80) {
    r.prefix_bytes = 1;
    value = first;
  } else if (first < 0xC0) {
    r.prefix_bytes = 2;
    value = first & 0x3F;
  } else if (first < 0xE0) {
    r.prefix_bytes = 3;
    value = first & 0x1F;
  } else if (first < 0xF0) {
    r.prefix_bytes = 4;
    value = first & 0x0F;
  } else if (first == 0xF0) {
    r.prefix_bytes = 5;
  } else {
    r.status = first >= 0xF8 ? DecodedLength::Status::kReserved : DecodedLength::Status::kInvalid;
    return r;
  }
  if (in.size() < r.prefix_bytes) return r;  // kNeedMore
  for (std::size_t i = 1; i < r.prefix_bytes; ++i) value = (value << 8) | in[i];
  r.length = value;
  r.status = DecodedLength::Status::kOk;
  return r;
}

}  // namespace vantage::routeros
