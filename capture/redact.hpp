#pragma once
// Masks secrets in frames before vantage writes them to a pcap, so the
// capture it keeps as evidence never stores a credential it caught.
//
// RouterOS API word (the value is replaced by '*', same length; the TCP
// checksum is left as it was: the frame is marked, not forged):
//   | len | "=password=" | secret ... |     len: 1-byte (< 0x80) or 2-byte (10xxxxxx xxxxxxxx)
//                        ^^^^^^^^^^^^       (also "=response=", the legacy login)
// HTTP header (any case; the scheme stays when it is a known one):
//   Authorization: Basic YWRtaW46c2VjcmV0\r\n      Proxy-Authorization: Bearer eyJ...\r\n
//                        ^^^^^^^^^^^^^^^^
// Per direction of a connection it carries over what the next segment needs:
// a marker cut in two ("=pass" | "word=..."), a value that continues, and
// the sequence ranges it masked (a retransmission carries the secret again).
// Not handled: a value segment captured *before* the segment holding its
// marker (reordering at the capture point).
//
// A frame the decoder cannot take apart (unsupported link type, more stacked
// headers than it reads, an IP fragment, a malformed header, an unknown
// network protocol) is written without anything past its link header: no one
// can tell what it carries.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "capture/packet.hpp"

namespace vantage::capture {

class CredentialRedactor {
 public:
  // Whether redact() must see the frame: it holds (or may continue) a secret,
  // or cannot be decoded. Frames for which this is false are written as they are.
  bool needs_redaction(int dlt, std::span<const std::uint8_t> frame);
  // Masks secrets in `frame` in place (an undecodable frame is zeroed past its
  // link header); returns how many bytes were masked or zeroed.
  std::size_t redact(int dlt, std::span<std::uint8_t> frame);

 private:
  using Range = std::pair<std::uint32_t, std::uint32_t>;  // [begin, end) in sequence space
  struct Dir {
    std::uint32_t next_seq = 0;  // just past the last segment read in order
    std::string tail;            // its last bytes, when they may begin a marker
    bool open_value = false;     // a value runs on until a control byte
    std::uint32_t open_budget = 0;
    std::vector<Range> masked;  // the most recent ones
    std::uint64_t used = 0;     // for eviction
  };
  using Key = std::tuple<IpAddr, std::uint16_t, IpAddr, std::uint16_t>;
  struct KeyLess {
    bool operator()(const Key& a, const Key& b) const;
  };
  Dir& dir(const Key& k);
  std::map<Key, Dir, KeyLess> dirs_;
  std::uint64_t clock_ = 0;
};

}  // namespace vantage::capture
