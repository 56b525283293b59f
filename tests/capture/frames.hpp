#pragma once
// Builds IPv4/TCP frames for capture tests (checksums are left zero: the
// analyzer does not verify them, as captures with offload often carry bad ones).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "capture/analyzer.hpp"
#include "capture/pcap_handle.hpp"

namespace vantage::capture::testing {

constexpr int kDltRaw = 12;
constexpr int kDltEn10mb = 1;
constexpr int kDltSll = 113;
constexpr int kDltSll2 = 276;
constexpr int kDltNull = 0;
constexpr int kDltLoop = 108;

inline std::vector<std::uint8_t> bytes_of(const std::string& s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

struct Tcp {
  std::uint32_t src_ip = 0xC0000201;  // 192.0.2.1
  std::uint32_t dst_ip = 0xC0000202;
  std::uint16_t sport = 40000, dport = 8728;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0x18;  // PSH|ACK
  std::vector<std::uint8_t> payload;
  std::size_t snap = 0;  // >0: cut the frame to this many payload bytes
};

inline void put16(std::vector<std::uint8_t>& v, std::size_t at, std::uint16_t x) {
  v[at] = static_cast<std::uint8_t>(x >> 8);
  v[at + 1] = static_cast<std::uint8_t>(x);
}
inline void put32(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x) {
  put16(v, at, static_cast<std::uint16_t>(x >> 16));
  put16(v, at + 2, static_cast<std::uint16_t>(x));
}

// An IPv4 packet (no link header).
inline std::vector<std::uint8_t> ipv4(const Tcp& t) {
  std::vector<std::uint8_t> v(40 + t.payload.size());
  v[0] = 0x45;
  put16(v, 2, static_cast<std::uint16_t>(v.size()));
  v[8] = 64;
  v[9] = 6;
  put32(v, 12, t.src_ip);
  put32(v, 16, t.dst_ip);
  put16(v, 20, t.sport);
  put16(v, 22, t.dport);
  put32(v, 24, t.seq);
  put32(v, 28, t.ack);
  v[32] = 0x50;
  v[33] = t.flags;
  put16(v, 34, 65535);
  if (!t.payload.empty()) std::memcpy(v.data() + 40, t.payload.data(), t.payload.size());
  if (t.snap > 0 && t.snap < t.payload.size()) v.resize(40 + t.snap);
  return v;
}

inline std::vector<std::uint8_t> with_link(int dlt, std::vector<std::uint8_t> ip) {
  std::vector<std::uint8_t> h;
  switch (dlt) {
    case kDltEn10mb: h = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00}; break;
    case kDltSll:
      h = std::vector<std::uint8_t>(16, 0);
      h[14] = 0x08;
      break;
    case kDltSll2:
      h = std::vector<std::uint8_t>(20, 0);
      h[0] = 0x08;
      break;
    case kDltNull:
      h = {2, 0, 0, 0};  // AF_INET, little-endian host order
      break;
    case kDltLoop: h = {0, 0, 0, 2}; break;
    default: break;
  }
  h.insert(h.end(), ip.begin(), ip.end());
  return h;
}

// Feeds frames to an analyzer; keeps them alive for the call.
class Feeder {
 public:
  explicit Feeder(Analyzer& a, int dlt = kDltRaw, std::string name = "test") : a_(a), dlt_(dlt) {
    a_.begin_source(std::move(name), dlt, "TEST");
  }
  void frame(const std::vector<std::uint8_t>& f, std::uint32_t wirelen = 0) {
    RawPacket p;
    p.ts_us = ts_ += 1000;
    p.caplen = static_cast<std::uint32_t>(f.size());
    p.wirelen = wirelen ? wirelen : p.caplen;
    p.data = f.data();
    a_.add(p);
  }
  void tcp(const Tcp& t) {
    auto f = with_link(dlt_, ipv4(t));
    const std::uint32_t wire =
        static_cast<std::uint32_t>(f.size() + (t.snap ? t.payload.size() - t.snap : 0));
    frame(f, wire);
  }

 private:
  Analyzer& a_;
  int dlt_;
  std::int64_t ts_ = 1700000000000000;
};

// A client/server conversation with sequence numbers tracked.
struct Conversation {
  Feeder& f;
  std::uint32_t cseq = 1000, sseq = 5000;
  std::uint16_t sport = 40000, dport = 8728;
  std::uint32_t cip = 0xC0000201, sip = 0xC0000202;

  Tcp c(std::vector<std::uint8_t> payload = {}, std::uint8_t flags = 0x18) const {
    Tcp t;
    t.src_ip = cip;
    t.dst_ip = sip;
    t.sport = sport;
    t.dport = dport;
    t.seq = cseq;
    t.ack = sseq;
    t.flags = flags;
    t.payload = std::move(payload);
    return t;
  }
  Tcp s(std::vector<std::uint8_t> payload = {}, std::uint8_t flags = 0x18) const {
    Tcp t = c(std::move(payload), flags);
    std::swap(t.src_ip, t.dst_ip);
    std::swap(t.sport, t.dport);
    t.seq = sseq;
    t.ack = cseq;
    return t;
  }
  void handshake() {
    f.tcp(c({}, 0x02));
    ++cseq;
    f.tcp(s({}, 0x12));
    ++sseq;
    f.tcp(c({}, 0x10));
  }
  void client(const std::vector<std::uint8_t>& p) {
    f.tcp(c(p));
    cseq += static_cast<std::uint32_t>(p.size());
  }
  void server(const std::vector<std::uint8_t>& p) {
    f.tcp(s(p));
    sseq += static_cast<std::uint32_t>(p.size());
  }
  void close() {
    f.tcp(c({}, 0x11));
    ++cseq;
    f.tcp(s({}, 0x11));
    ++sseq;
    f.tcp(c({}, 0x10));
  }
};

}  // namespace vantage::capture::testing
