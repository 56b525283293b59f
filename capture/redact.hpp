#pragma once
// Masks RouterOS API secrets in frames before vantage writes them to a pcap,
// so the capture it keeps as evidence does not store the password it caught.
//
//   | len | "=password=" | secret ... |     len: 1-byte (< 0x80) or 2-byte (10xxxxxx xxxxxxxx)
//                        ^^^^^^^^^^^^ replaced by '*', same length (the TCP
//                        checksum is left as it was: the frame is marked, not forged)
//
// The same is done for "=response=" (legacy login). A secret that continues
// into the next segment of the same direction is masked there too.
#include <cstdint>
#include <map>
#include <span>
#include <tuple>
#include <vector>

#include "capture/packet.hpp"

namespace vantage::capture {

class CredentialRedactor {
 public:
  // Whether the frame needs a masked copy (cheap scan of the original).
  bool needs_redaction(int dlt, std::span<const std::uint8_t> frame);
  // Masks secrets in `frame` in place; returns how many bytes were masked.
  std::size_t redact(int dlt, std::span<std::uint8_t> frame);

 private:
  struct Carry {
    std::uint32_t next_seq = 0;
    std::uint32_t remaining = 0;
  };
  using Key = std::tuple<IpAddr, std::uint16_t, IpAddr, std::uint16_t>;
  struct KeyLess {
    bool operator()(const Key& a, const Key& b) const;
  };
  std::map<Key, Carry, KeyLess> carry_;
};

}  // namespace vantage::capture
