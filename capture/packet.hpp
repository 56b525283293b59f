#pragma once
// A captured frame, and decoding it down to its TCP segment. Never throws; a frame
// that is not TCP, or is cut short or malformed, is reported by status.
//
// Link layers (pcap DLT values):
//   EN10MB (1)       dst(6) src(6) [0x8100/0x88a8 tci(2)]... ethertype(2) | IP
//   LINUX_SLL (113)  pkttype(2) hatype(2) halen(2) addr(8) protocol(2)    | IP   (16 bytes)
//   LINUX_SLL2 (276) protocol(2) rsvd(2) ifindex(4) hatype(2) pkttype(1)
//                    halen(1) addr(8)                                     | IP   (20 bytes)
//   RAW (12/14/101), IPV4 (228), IPV6 (229)                               | IP
//   NULL (0)         family(4, host order)                                | IP
//   LOOP (108)       family(4, network order)                             | IP
//
// IPv4:  ver|ihl(1) tos(1) total_len(2) id(2) flags|frag_off(2) ttl(1) proto(1) csum(2)
//        src(4) dst(4) [options]
// IPv6:  ver|tc|flow(4) payload_len(2) next(1) hops(1) src(16) dst(16) [ext headers]
// TCP:   sport(2) dport(2) seq(4) ack(4) off|rsvd(1) flags(1) win(2) csum(2) urg(2) [opts]
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace vantage::capture {

// Timestamps from a file are whatever its writer claims: kept within
// [0, year 9999] so that differences between any two never overflow.
inline constexpr std::int64_t kMaxTimestampUs = 253402300799LL * 1000000;
inline std::int64_t clamp_timestamp_us(long double us) {
  return us <= 0 ? 0 : us >= kMaxTimestampUs ? kMaxTimestampUs : static_cast<std::int64_t>(us);
}
inline std::int64_t timeval_us(std::int64_t sec, std::int64_t usec) {
  return clamp_timestamp_us(static_cast<long double>(sec) * 1000000 + usec);
}

// One captured frame as libpcap delivered it. `data` holds caplen bytes.
struct RawPacket {
  std::int64_t ts_us = 0;     // microseconds since the epoch
  std::uint32_t caplen = 0;   // bytes captured
  std::uint32_t wirelen = 0;  // bytes on the wire
  const std::uint8_t* data = nullptr;
  std::span<const std::uint8_t> bytes() const { return {data, caplen}; }
};

struct IpAddr {
  std::uint8_t family = 0;  // 4 or 6
  std::array<std::uint8_t, 16> b{};
  std::string str() const;
  bool operator==(const IpAddr&) const = default;
  static bool parse(const std::string& text, IpAddr& out);
};

struct Endpoint {
  IpAddr ip;
  std::uint16_t port = 0;
  std::string str() const;  // 192.0.2.1:8728, [2001:db8::1]:8728
  bool operator==(const Endpoint&) const = default;
};

enum TcpFlags : std::uint8_t {
  kFin = 0x01,
  kSyn = 0x02,
  kRst = 0x04,
  kPsh = 0x08,
  kAck = 0x10,
};

struct TcpSegment {
  Endpoint src, dst;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  std::span<const std::uint8_t> payload;  // the captured part
  std::uint32_t payload_len = 0;          // as the IP header declares (>= payload.size())
};

enum class DecodeStatus {
  kTcp,              // `seg` is valid
  kNotIp,            // ARP, LLDP, ...
  kNotTcp,           // UDP, ICMP, ...
  kFragment,         // an IP fragment (not reassembled)
  kTruncated,        // the frame ends inside a header
  kMalformed,        // impossible header values
  kTooDeep,          // more stacked headers than the decoder reads (VLAN tags, IPv6 extensions)
  kUnsupportedLink,  // a link type this decoder does not know
};
const char* to_string(DecodeStatus s);

DecodeStatus decode_tcp(int dlt, std::span<const std::uint8_t> frame, TcpSegment& seg);
bool link_type_supported(int dlt);
// Bytes of link-layer header before the network layer (0 for raw IP and for
// link types the decoder does not know).
std::size_t link_header_size(int dlt, std::span<const std::uint8_t> frame);

}  // namespace vantage::capture

template <>
struct std::hash<vantage::capture::IpAddr> {
  std::size_t operator()(const vantage::capture::IpAddr& a) const noexcept;
};
