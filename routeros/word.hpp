#pragma once
// RouterOS API word framing: a length prefix, then that many bytes.
//
// The length is big-endian; the number of leading 1 bits of the first byte
// says how many bytes the prefix has (like UTF-8, but with the length bits kept):
//
//   1 byte   0xxxxxxx                                     len 0x00      .. 0x7F
//   2 bytes  10xxxxxx xxxxxxxx                            len 0x80      .. 0x3FFF
//   3 bytes  110xxxxx xxxxxxxx xxxxxxxx                   len 0x4000    .. 0x1FFFFF
//   4 bytes  1110xxxx xxxxxxxx xxxxxxxx xxxxxxxx          len 0x200000  .. 0xFFFFFFF
//   5 bytes  11110000 xxxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx len 0x10000000.. 0xFFFFFFFF
//            11110001 .. 11110111  -> invalid here (clients disagree on their meaning)
//            11111xxx              -> reserved control byte (0xF8..0xFF), rejected
//
//   e.g. 0x80 -> 80 80,  0x4000 -> c0 40 00,  0x10000000 -> f0 10 00 00 00
//
// A sentence is a sequence of words ended by a zero-length word (a single 00).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vantage::routeros {

// The shortest prefix for `len` (all five forms).
std::vector<std::uint8_t> encode_length(std::uint32_t len);

// Appends the length prefix and the bytes of `word` to `out`.
void append_word(std::vector<std::uint8_t>& out, std::string_view word);

// Result of reading one length prefix from the front of a byte range.
struct DecodedLength {
  enum class Status {
    kOk,        // `length` and `prefix_bytes` are valid
    kNeedMore,  // the range ends inside the prefix
    kReserved,  // first byte 0xF8..0xFF: a control byte, not a length
    kInvalid,   // first byte 0xF1..0xF7: a 5-byte form with non-zero low bits
  };
  Status status = Status::kNeedMore;
  std::uint32_t length = 0;
  std::size_t prefix_bytes = 0;  // 1..5 when kOk (also set for kNeedMore)
};
DecodedLength decode_length(std::span<const std::uint8_t> in);

}  // namespace vantage::routeros
