#pragma once
// Builders for server-side TLS bytes used by the parser tests.
#include <cstdint>
#include <vector>

namespace vantage::tls::testing {

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put24(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}

inline Bytes record(std::uint8_t type, std::uint16_t version, const Bytes& frag) {
  Bytes b{type};
  put16(b, version);
  put16(b, static_cast<std::uint16_t>(frag.size()));
  b.insert(b.end(), frag.begin(), frag.end());
  return b;
}

inline Bytes handshake(std::uint8_t msg, const Bytes& body) {
  Bytes b{msg};
  put24(b, static_cast<std::uint32_t>(body.size()));
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

// ServerHello body; `exts` empty means no extensions block at all.
inline Bytes server_hello_body(std::uint16_t version, std::uint16_t suite, const Bytes& exts = {},
                               bool hrr = false) {
  static const std::uint8_t kHrr[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11,
                                        0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
                                        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
                                        0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
  Bytes b;
  put16(b, version);
  for (int i = 0; i < 32; ++i) b.push_back(hrr ? kHrr[i] : static_cast<std::uint8_t>(0x40 + i));
  b.push_back(0);  // empty session id
  put16(b, suite);
  b.push_back(0);  // null compression
  if (!exts.empty()) {
    put16(b, static_cast<std::uint16_t>(exts.size()));
    b.insert(b.end(), exts.begin(), exts.end());
  }
  return b;
}

inline Bytes ext(std::uint16_t type, const Bytes& data) {
  Bytes b;
  put16(b, type);
  put16(b, static_cast<std::uint16_t>(data.size()));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// ServerKeyExchange for DHE with a p of `p_bytes` bytes whose top byte is 0x80 | x.
inline Bytes dhe_ske(std::size_t p_bytes, std::uint8_t top = 0xFF) {
  Bytes b;
  put16(b, static_cast<std::uint16_t>(p_bytes));
  b.push_back(top);
  for (std::size_t i = 1; i < p_bytes; ++i) b.push_back(0xAB);
  put16(b, 1);
  b.push_back(2);  // g
  put16(b, 4);
  for (int i = 0; i < 4; ++i) b.push_back(0x11);  // Ys
  put16(b, 0x0401);
  put16(b, 2);
  b.push_back(0);
  b.push_back(0);  // signature (not checked)
  return b;
}

}  // namespace vantage::tls::testing
