#include "capture/pcapng_reader.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

namespace vantage::capture {
namespace {

constexpr std::uint32_t kShb = 0x0A0D0D0A, kIdb = 1, kEpb = 6, kSpb = 3;
constexpr std::uint32_t kMaxBlock = 64u << 20;
constexpr std::size_t kReadStep = 64u << 10;

struct Iface {
  int dlt = -1;
  std::uint64_t units_per_sec = 1000000;
};

}  // namespace

std::string read_pcapng(const std::string& path,
                        const std::function<void(const PcapngPacket&)>& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open " + path;
  bool swap = false;
  auto u32 = [&](const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  auto u16 = [&](const std::uint8_t* p) {
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return swap ? __builtin_bswap16(v) : v;
  };
  std::vector<Iface> ifaces;
  std::vector<std::uint8_t> block;
  for (std::uint64_t n = 0;; ++n) {
    std::uint8_t head[8];
    in.read(reinterpret_cast<char*>(head), 8);
    if (in.gcount() == 0) return "";
    if (in.gcount() < 8) return "truncated block header";
    std::uint32_t type;
    std::memcpy(&type, head, 4);
    if (type == kShb) {
      std::uint8_t magic[4];
      in.read(reinterpret_cast<char*>(magic), 4);
      if (in.gcount() < 4) return "truncated section header";
      std::uint32_t m;
      std::memcpy(&m, magic, 4);
      if (m == 0x1A2B3C4D)
        swap = false;
      else if (m == 0x4D3C2B1A)
        swap = true;
      else
        return "bad byte-order magic in a section header";
      ifaces.clear();
      in.seekg(-4, std::ios::cur);
    } else {
      type = u32(head);
    }
    const std::uint32_t total = u32(head + 4);
    if (total < 12 || total % 4 != 0 || total > kMaxBlock) return "corrupt block length";
    // Grown as the bytes arrive: a short file claiming a 64 MB block costs its
    // own size, not 64 MB zeroed (half of a fuzz run's time went to that).
    block.clear();
    while (block.size() < total - 8) {
      const std::size_t at = block.size(), step = std::min<std::size_t>(total - 8 - at, kReadStep);
      block.resize(at + step);
      in.read(reinterpret_cast<char*>(block.data() + at), static_cast<std::streamsize>(step));
      if (static_cast<std::size_t>(in.gcount()) < step) return "truncated block";
    }
    const std::size_t body = block.size() - 4;  // without the trailing length
    const std::uint8_t* b = block.data();
    if (type == kIdb) {
      if (body < 8) return "corrupt interface block";
      Iface ifc;
      ifc.dlt = u16(b);
      for (std::size_t o = 8; o + 4 <= body;) {  // options
        const std::uint16_t code = u16(b + o), len = u16(b + o + 2);
        if (code == 0 || o + 4 + len > body) break;
        if (code == 9 && len >= 1) {
          const std::uint8_t r = b[o + 4];
          std::uint64_t u = 1;
          for (int i = 0; i < (r & 0x7f) && u < (1ULL << 62) / 10; ++i) u *= (r & 0x80) ? 2 : 10;
          ifc.units_per_sec = u;
        }
        o += 4 + ((len + 3u) & ~3u);
      }
      ifaces.push_back(ifc);
    } else if (type == kEpb || type == kSpb) {
      PcapngPacket p;
      std::size_t data_off;
      const Iface* ifc = nullptr;
      if (type == kEpb) {
        if (body < 20) return "corrupt packet block";
        const std::uint32_t id = u32(b);
        if (id >= ifaces.size()) return "packet block names an unknown interface";
        ifc = &ifaces[id];
        const std::uint64_t ts = std::uint64_t{u32(b + 4)} << 32 | u32(b + 8);
        const std::uint64_t per = ifc->units_per_sec;
        const auto frac = static_cast<std::uint64_t>(static_cast<long double>(ts % per) * 1000000 /
                                                     static_cast<long double>(per));
        p.pkt.ts_us = per == 1000000 ? clamp_timestamp_us(static_cast<long double>(ts))
                                     : timeval_us(static_cast<std::int64_t>(
                                                      std::min<std::uint64_t>(ts / per, INT64_MAX)),
                                                  static_cast<std::int64_t>(frac));
        p.pkt.caplen = u32(b + 12);
        p.pkt.wirelen = u32(b + 16);
        data_off = 20;
      } else {
        if (body < 4 || ifaces.empty()) return "corrupt simple packet block";
        ifc = &ifaces[0];
        p.pkt.wirelen = u32(b);
        p.pkt.caplen = static_cast<std::uint32_t>(std::min<std::size_t>(p.pkt.wirelen, body - 4));
        data_off = 4;
      }
      if (data_off + p.pkt.caplen > body) return "packet block shorter than its captured length";
      p.pkt.data = b + data_off;
      p.dlt = ifc->dlt;
      fn(p);
    }
  }
}

}  // namespace vantage::capture
