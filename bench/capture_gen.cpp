// Writes a large synthetic pcap (Ethernet/IPv4/TCP) for bench/capture_vs_tshark.sh:
// many complete TCP flows - TLS 1.2/1.3 handshakes followed by application data
// records on 8729, plaintext RouterOS API sessions (login + commands) on 8728,
// and HTTP-like bulk transfers on 80 - with some segments reordered and some
// retransmitted so reassembly does real work. Uses 192.0.2.0/24 and
// 198.51.100.0/24 addresses (documentation ranges).
//
// usage: capture_gen OUT.pcap SIZE_MB [--syn-flood]
// --syn-flood: only SYNs, each from a new 4-tuple (a hostile input for the
// analyzer's memory bounds; bench/hostile_pcap.sh).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Writer {
  FILE* f = nullptr;
  std::uint64_t bytes = 0, packets = 0;
  std::int64_t ts_us = 1700000000000000;
  std::vector<std::uint8_t> buf;

  void header() {
    struct {
      std::uint32_t magic = 0xa1b2c3d4;
      std::uint16_t major = 2, minor = 4;
      std::int32_t zone = 0;
      std::uint32_t sigfigs = 0, snaplen = 262144, linktype = 1;
    } h;
    std::fwrite(&h, sizeof h, 1, f);
  }
  void packet(std::uint32_t sip, std::uint32_t dip, std::uint16_t sp, std::uint16_t dp,
              std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, const std::uint8_t* data,
              std::size_t len) {
    const std::size_t total = 14 + 20 + 20 + len;
    buf.assign(16 + total, 0);
    std::uint8_t* p = buf.data();
    ts_us += 7;
    const std::uint32_t rec[4] = {
        static_cast<std::uint32_t>(ts_us / 1000000), static_cast<std::uint32_t>(ts_us % 1000000),
        static_cast<std::uint32_t>(total), static_cast<std::uint32_t>(total)};
    std::memcpy(p, rec, 16);
    std::uint8_t* e = p + 16;
    e[12] = 0x08;
    std::uint8_t* ip = e + 14;
    ip[0] = 0x45;
    ip[2] = static_cast<std::uint8_t>((20 + 20 + len) >> 8);
    ip[3] = static_cast<std::uint8_t>(20 + 20 + len);
    ip[8] = 64;
    ip[9] = 6;
    auto put32 = [](std::uint8_t* q, std::uint32_t v) {
      q[0] = v >> 24;
      q[1] = v >> 16;
      q[2] = v >> 8;
      q[3] = v;
    };
    put32(ip + 12, sip);
    put32(ip + 16, dip);
    std::uint8_t* t = ip + 20;
    t[0] = sp >> 8;
    t[1] = sp & 0xff;
    t[2] = dp >> 8;
    t[3] = dp & 0xff;
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = 0x50;
    t[13] = flags;
    t[14] = 0xff;
    t[15] = 0xff;
    if (len) std::memcpy(t + 20, data, len);
    std::fwrite(buf.data(), 1, buf.size(), f);
    bytes += buf.size();
    ++packets;
  }
};

std::vector<std::uint8_t> word(const std::string& w) {
  std::vector<std::uint8_t> out;
  if (w.size() < 0x80)
    out.push_back(static_cast<std::uint8_t>(w.size()));
  else {
    out.push_back(0x80 | static_cast<std::uint8_t>(w.size() >> 8));
    out.push_back(w.size() & 0xff);
  }
  out.insert(out.end(), w.begin(), w.end());
  return out;
}
std::vector<std::uint8_t> sentence(std::initializer_list<std::string> words) {
  std::vector<std::uint8_t> out;
  for (const auto& w : words) {
    auto x = word(w);
    out.insert(out.end(), x.begin(), x.end());
  }
  out.push_back(0);
  return out;
}

std::vector<std::uint8_t> hs_record(std::uint8_t type, std::vector<std::uint8_t> body) {
  std::vector<std::uint8_t> m = {type, 0, static_cast<std::uint8_t>(body.size() >> 8),
                                 static_cast<std::uint8_t>(body.size())};
  m.insert(m.end(), body.begin(), body.end());
  std::vector<std::uint8_t> r = {22, 3, 1, static_cast<std::uint8_t>(m.size() >> 8),
                                 static_cast<std::uint8_t>(m.size())};
  r.insert(r.end(), m.begin(), m.end());
  return r;
}
std::vector<std::uint8_t> client_hello() {
  std::vector<std::uint8_t> b = {3, 3};
  b.insert(b.end(), 32, 0x42);
  b.push_back(0);
  const std::uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0x009e};
  b.push_back(0);
  b.push_back(sizeof suites);
  for (auto s : suites) {
    b.push_back(s >> 8);
    b.push_back(s & 0xff);
  }
  b.push_back(1);
  b.push_back(0);
  const std::uint8_t ext[] = {0, 43, 0, 5, 4, 3, 4, 3, 3};
  b.push_back(0);
  b.push_back(sizeof ext);
  b.insert(b.end(), ext, ext + sizeof ext);
  return hs_record(1, b);
}
std::vector<std::uint8_t> server_hello(bool tls13) {
  std::vector<std::uint8_t> b = {3, 3};
  b.insert(b.end(), 32, 0x24);
  b.push_back(0);
  if (tls13) {
    b.push_back(0x13);
    b.push_back(0x02);
  } else {
    b.push_back(0xc0);
    b.push_back(0x30);
  }
  b.push_back(0);
  if (tls13) {
    const std::uint8_t ext[] = {0, 6, 0, 43, 0, 2, 3, 4};
    b.insert(b.end(), ext, ext + 8);
  }
  return hs_record(2, b);
}

struct Flow {
  Writer& w;
  std::uint32_t cip, sip;
  std::uint16_t cp, sp;
  std::uint32_t cseq = 1000, sseq = 900000;
  void open() {
    w.packet(cip, sip, cp, sp, cseq++, 0, 0x02, nullptr, 0);
    w.packet(sip, cip, sp, cp, sseq++, cseq, 0x12, nullptr, 0);
    w.packet(cip, sip, cp, sp, cseq, sseq, 0x10, nullptr, 0);
  }
  void c(const std::vector<std::uint8_t>& d) {
    w.packet(cip, sip, cp, sp, cseq, sseq, 0x18, d.data(), d.size());
    cseq += d.size();
  }
  void s(const std::vector<std::uint8_t>& d) {
    w.packet(sip, cip, sp, cp, sseq, cseq, 0x18, d.data(), d.size());
    sseq += d.size();
  }
  // Server bulk: `n` segments of `seg` bytes; every 50th pair swapped, every 97th repeated.
  void bulk(std::size_t n, const std::vector<std::uint8_t>& seg) {
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 50 == 10 && i + 1 < n) {
        const std::uint32_t a = sseq, b = sseq + seg.size();
        w.packet(sip, cip, sp, cp, b, cseq, 0x18, seg.data(), seg.size());
        w.packet(sip, cip, sp, cp, a, cseq, 0x18, seg.data(), seg.size());
        sseq += 2 * seg.size();
        ++i;
        continue;
      }
      s(seg);
      if (i % 97 == 0)
        w.packet(sip, cip, sp, cp, sseq - seg.size(), cseq, 0x18, seg.data(), seg.size());
      if (i % 8 == 0) w.packet(cip, sip, cp, sp, cseq, sseq, 0x10, nullptr, 0);
    }
  }
  void close() {
    w.packet(cip, sip, cp, sp, cseq++, sseq, 0x11, nullptr, 0);
    w.packet(sip, cip, sp, cp, sseq++, cseq, 0x11, nullptr, 0);
    w.packet(cip, sip, cp, sp, cseq, sseq, 0x10, nullptr, 0);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bool flood = argc == 4 && std::strcmp(argv[3], "--syn-flood") == 0;
  if (argc != 3 && !flood) {
    std::fprintf(stderr, "usage: %s OUT.pcap SIZE_MB [--syn-flood]\n", argv[0]);
    return 64;
  }
  Writer w;
  w.f = std::fopen(argv[1], "wb");
  if (!w.f) {
    std::perror(argv[1]);
    return 1;
  }
  static char iobuf[1 << 20];
  std::setvbuf(w.f, iobuf, _IOFBF, sizeof iobuf);
  w.header();
  const std::uint64_t target = std::strtoull(argv[2], nullptr, 10) << 20;
  if (flood) {
    // Source 198.51.100.x, source port and destination 203.0.113.y count
    // up together: no tuple repeats below 4 * 10^9 packets.
    for (std::uint64_t i = 0; w.bytes < target; ++i) {
      const std::uint64_t hi = i >> 8;
      w.packet(0xC6336400 | (i & 0xff), 0xCB007100 | ((hi / 64000) & 0xff),
               static_cast<std::uint16_t>(1024 + hi % 64000), 8728, static_cast<std::uint32_t>(i),
               0, 0x02, nullptr, 0);
    }
    std::fclose(w.f);
    std::printf("%llu packets, %llu bytes\n", static_cast<unsigned long long>(w.packets),
                static_cast<unsigned long long>(w.bytes));
    return 0;
  }
  // A TLS application-data record per segment, and an HTTP-ish body segment.
  std::vector<std::uint8_t> tls_seg(1400, 0x5a);
  tls_seg[0] = 23;
  tls_seg[1] = 3;
  tls_seg[2] = 3;
  tls_seg[3] = (1395 >> 8);
  tls_seg[4] = 1395 & 0xff;
  std::vector<std::uint8_t> http_seg(1448, 'x');
  const auto get = [] {
    std::string s = "GET /big HTTP/1.1\r\nHost: example\r\n\r\n";
    return std::vector<std::uint8_t>(s.begin(), s.end());
  }();
  std::uint64_t flows = 0;
  for (std::uint32_t i = 0; w.bytes < target; ++i, ++flows) {
    Flow f{w, 0xC0000200 | (i % 200 + 10), 0xC6336400 | (i % 50 + 1),
           static_cast<std::uint16_t>(20000 + i % 40000), 8729};
    switch (i % 4) {
      case 0:
      case 1:  // TLS 1.3 / 1.2 with bulk data
        f.open();
        f.c(client_hello());
        f.s(server_hello(i % 4 == 0));
        f.bulk(150, tls_seg);
        f.close();
        break;
      case 2: {  // plaintext API session
        f.sp = 8728;
        f.open();
        f.c(sentence({"/login", "=name=admin", "=password=bench-secret"}));
        f.s(sentence({"!done"}));
        for (int k = 0; k < 20; ++k) {
          f.c(sentence({"/interface/print", ".tag=" + std::to_string(k)}));
          f.s(sentence({"!re", "=name=ether1", "=mtu=1500", ".tag=" + std::to_string(k)}));
          f.s(sentence({"!done", ".tag=" + std::to_string(k)}));
        }
        f.close();
        break;
      }
      default:  // HTTP bulk
        f.sp = 80;
        f.open();
        f.c(get);
        f.bulk(200, http_seg);
        f.close();
        break;
    }
  }
  std::fclose(w.f);
  std::printf("%llu packets, %llu flows, %.1f MB\n", static_cast<unsigned long long>(w.packets),
              static_cast<unsigned long long>(flows), w.bytes / 1048576.0);
  return 0;
}
