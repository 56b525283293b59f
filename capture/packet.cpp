#include "capture/packet.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

namespace vantage::capture {
namespace {

constexpr int kDltNull = 0, kDltEn10mb = 1, kDltRaw = 12, kDltRawBsd = 14, kDltLoop = 108,
              kDltSll = 113, kDltSll2 = 276, kLinkRaw = 101, kDltIpv4 = 228, kDltIpv6 = 229;

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

DecodeStatus decode_tcp_header(const std::uint8_t* p, std::size_t avail, std::size_t declared,
                               TcpSegment& seg) {
  if (avail < 20) return DecodeStatus::kTruncated;
  const std::size_t off = static_cast<std::size_t>(p[12] >> 4) * 4;
  if (off < 20 || off > declared) return DecodeStatus::kMalformed;
  if (avail < off) return DecodeStatus::kTruncated;
  seg.src.port = be16(p);
  seg.dst.port = be16(p + 2);
  seg.seq = be32(p + 4);
  seg.ack = be32(p + 8);
  seg.flags = p[13];
  seg.payload_len = static_cast<std::uint32_t>(declared - off);
  const std::size_t have = avail > declared ? declared : avail;
  seg.payload = {p + off, have - off};
  return DecodeStatus::kTcp;
}

DecodeStatus decode_ipv4(const std::uint8_t* p, std::size_t n, TcpSegment& seg) {
  if (n < 20) return DecodeStatus::kTruncated;
  if ((p[0] >> 4) != 4) return DecodeStatus::kMalformed;
  const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0f) * 4;
  const std::size_t total = be16(p + 2);
  if (ihl < 20 || total < ihl) return DecodeStatus::kMalformed;
  if (n < ihl) return DecodeStatus::kTruncated;
  const std::uint16_t frag = be16(p + 6);
  if ((frag & 0x3fff) != 0) return DecodeStatus::kFragment;  // MF set or offset != 0
  if (p[9] != IPPROTO_TCP) return DecodeStatus::kNotTcp;
  seg.src.ip.family = seg.dst.ip.family = 4;
  seg.src.ip.b = {};
  seg.dst.ip.b = {};
  std::memcpy(seg.src.ip.b.data(), p + 12, 4);
  std::memcpy(seg.dst.ip.b.data(), p + 16, 4);
  // total==0 happens with TSO on the sending host: trust the capture length.
  const std::size_t end = total == 0 ? n : total;
  return decode_tcp_header(p + ihl, n - ihl, end - ihl, seg);
}

DecodeStatus decode_ipv6(const std::uint8_t* p, std::size_t n, TcpSegment& seg) {
  if (n < 40) return DecodeStatus::kTruncated;
  if ((p[0] >> 4) != 6) return DecodeStatus::kMalformed;
  std::size_t declared = be16(p + 4);
  if (declared == 0) declared = n - 40;  // jumbogram or TSO: trust the capture
  std::uint8_t next = p[6];
  seg.src.ip.family = seg.dst.ip.family = 6;
  std::memcpy(seg.src.ip.b.data(), p + 8, 16);
  std::memcpy(seg.dst.ip.b.data(), p + 24, 16);
  std::size_t off = 40;
  for (int i = 0; i < 8; ++i) {  // extension headers, bounded
    if (next == IPPROTO_TCP) {
      if (declared + 40 < off) return DecodeStatus::kMalformed;
      return decode_tcp_header(p + off, n - off, declared + 40 - off, seg);
    }
    if (next == 44) return DecodeStatus::kFragment;
    if (next != 0 && next != 43 && next != 60) return DecodeStatus::kNotTcp;
    if (n < off + 8) return DecodeStatus::kTruncated;
    next = p[off];
    off += (static_cast<std::size_t>(p[off + 1]) + 1) * 8;
    if (off > n) return DecodeStatus::kTruncated;
  }
  return DecodeStatus::kTooDeep;
}

DecodeStatus decode_ip(const std::uint8_t* p, std::size_t n, TcpSegment& seg) {
  if (n < 1) return DecodeStatus::kTruncated;
  switch (p[0] >> 4) {
    case 4: return decode_ipv4(p, n, seg);
    case 6: return decode_ipv6(p, n, seg);
    default: return DecodeStatus::kNotIp;
  }
}

DecodeStatus decode_ethertype(std::uint16_t type, const std::uint8_t* p, std::size_t n,
                              TcpSegment& seg) {
  if (type == 0x0800) return decode_ipv4(p, n, seg);
  if (type == 0x86dd) return decode_ipv6(p, n, seg);
  return DecodeStatus::kNotIp;
}

DecodeStatus decode_family(std::uint32_t fam, const std::uint8_t* p, std::size_t n,
                           TcpSegment& seg) {
  if (fam == AF_INET) return decode_ipv4(p, n, seg);
  // BSDs disagree on AF_INET6 (24, 28, 30); Linux uses 10.
  if (fam == 10 || fam == 24 || fam == 28 || fam == 30) return decode_ipv6(p, n, seg);
  return DecodeStatus::kNotIp;
}

}  // namespace

const char* to_string(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::kTcp: return "tcp";
    case DecodeStatus::kNotIp: return "not IP";
    case DecodeStatus::kNotTcp: return "not TCP";
    case DecodeStatus::kFragment: return "IP fragment (not reassembled)";
    case DecodeStatus::kTruncated: return "frame truncated inside a header";
    case DecodeStatus::kMalformed: return "malformed header";
    case DecodeStatus::kTooDeep:
      return "more stacked headers than decoded (over 2 VLAN tags or 8 IPv6 extension headers)";
    case DecodeStatus::kUnsupportedLink: return "unsupported link type";
  }
  return "?";
}

bool link_type_supported(int dlt) {
  switch (dlt) {
    case kDltNull:
    case kDltEn10mb:
    case kDltRaw:
    case kDltRawBsd:
    case kDltLoop:
    case kDltSll:
    case kDltSll2:
    case kLinkRaw:
    case kDltIpv4:
    case kDltIpv6: return true;
    default: return false;
  }
}

DecodeStatus decode_tcp(int dlt, std::span<const std::uint8_t> frame, TcpSegment& seg) {
  const std::uint8_t* p = frame.data();
  const std::size_t n = frame.size();
  switch (dlt) {
    case kDltEn10mb: {
      if (n < 14) return DecodeStatus::kTruncated;
      std::size_t off = 12;
      std::uint16_t type = be16(p + off);
      for (int i = 0; i < 2 && (type == 0x8100 || type == 0x88a8); ++i) {  // VLAN tags
        off += 4;
        if (n < off + 2) return DecodeStatus::kTruncated;
        type = be16(p + off);
      }
      if (type == 0x8100 || type == 0x88a8) return DecodeStatus::kTooDeep;
      off += 2;
      return decode_ethertype(type, p + off, n - off, seg);
    }
    case kDltSll:
      if (n < 16) return DecodeStatus::kTruncated;
      return decode_ethertype(be16(p + 14), p + 16, n - 16, seg);
    case kDltSll2:
      if (n < 20) return DecodeStatus::kTruncated;
      return decode_ethertype(be16(p), p + 20, n - 20, seg);
    case kDltRaw:
    case kDltRawBsd:
    case kLinkRaw: return decode_ip(p, n, seg);
    case kDltIpv4: return decode_ipv4(p, n, seg);
    case kDltIpv6: return decode_ipv6(p, n, seg);
    case kDltNull: {
      if (n < 4) return DecodeStatus::kTruncated;
      std::uint32_t fam;
      std::memcpy(&fam, p, 4);
      // Written in the capturing host's order; accept either.
      if (fam > 0xffff) fam = __builtin_bswap32(fam);
      return decode_family(fam, p + 4, n - 4, seg);
    }
    case kDltLoop:
      if (n < 4) return DecodeStatus::kTruncated;
      return decode_family(be32(p), p + 4, n - 4, seg);
    default: return DecodeStatus::kUnsupportedLink;
  }
}

std::size_t link_header_size(int dlt, std::span<const std::uint8_t> frame) {
  std::size_t n = 0;
  switch (dlt) {
    case kDltEn10mb: n = 14; break;
    case kDltSll: n = 16; break;
    case kDltSll2: n = 20; break;
    case kDltNull:
    case kDltLoop: n = 4; break;
    default: break;
  }
  return n < frame.size() ? n : frame.size();
}

std::string IpAddr::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == 4)
    inet_ntop(AF_INET, b.data(), buf, sizeof buf);
  else if (family == 6)
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
  else
    return "?";
  return buf;
}

bool IpAddr::parse(const std::string& text, IpAddr& out) {
  IpAddr a;
  std::string t = text;
  if (t.size() > 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  if (inet_pton(AF_INET, t.c_str(), a.b.data()) == 1) {
    a.family = 4;
  } else if (inet_pton(AF_INET6, t.c_str(), a.b.data()) == 1) {
    a.family = 6;
    // An IPv4-mapped address is the IPv4 address on the wire.
    static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.b.data(), mapped, 12) == 0) {
      std::memmove(a.b.data(), a.b.data() + 12, 4);
      std::memset(a.b.data() + 4, 0, 12);
      a.family = 4;
    }
  } else {
    return false;
  }
  out = a;
  return true;
}

std::string Endpoint::str() const {
  if (ip.family == 6) return "[" + ip.str() + "]:" + std::to_string(port);
  return ip.str() + ":" + std::to_string(port);
}

}  // namespace vantage::capture

std::size_t std::hash<vantage::capture::IpAddr>::operator()(
    const vantage::capture::IpAddr& a) const noexcept {
  std::uint64_t x, y;
  std::memcpy(&x, a.b.data(), 8);
  std::memcpy(&y, a.b.data() + 8, 8);
  return static_cast<std::size_t>((x * 0x9E3779B97F4A7C15ULL) ^ (y + a.family));
}
