// Hostile input never crashes the analysis: random frames on every link type,
// random TCP payloads (through the TLS walker and the API sniffer), and
// random segment orders, with memory staying bounded per flow.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "capture/analyzer.hpp"
#include "capture/pcapng_reader.hpp"
#include "frames.hpp"

namespace vantage::capture {
namespace {

using namespace vantage::capture::testing;

TEST(Robustness, RandomFramesOnEveryLinkType) {
  std::mt19937 rng(12345);
  for (int dlt : {kDltRaw, kDltEn10mb, kDltSll, kDltSll2, kDltNull, kDltLoop, 228, 229}) {
    Analyzer a;
    Feeder f(a, dlt);
    for (int i = 0; i < 5000; ++i) {
      std::vector<std::uint8_t> frame(rng() % 120);
      for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
      // Often make it look like IPv4/TCP so deeper code runs.
      auto ip = ipv4(Tcp{});
      if (i % 2 == 0 && frame.size() > 40) {
        std::copy(ip.begin(), ip.begin() + 20, frame.begin());
        frame[2] = static_cast<std::uint8_t>(frame.size() >> 8);
        frame[3] = static_cast<std::uint8_t>(frame.size());
      }
      f.frame(with_link(dlt, frame));
    }
    AnalysisResult r = a.finish();
    EXPECT_EQ(r.packets, 5000u);
  }
}

TEST(Robustness, RandomPayloadsAndOrders) {
  std::mt19937 rng(777);
  Analyzer a;
  Feeder f(a);
  for (int flow = 0; flow < 200; ++flow) {
    Conversation c{f};
    c.sport = static_cast<std::uint16_t>(30000 + flow);
    c.dport = flow % 2 ? 8728 : 8729;
    if (flow % 3) c.handshake();
    // Payloads: random bytes, or API/TLS-looking starts with random tails.
    std::vector<Tcp> segs;
    for (int k = 0; k < 30; ++k) {
      std::vector<std::uint8_t> p(1 + rng() % 700);
      for (auto& b : p) b = static_cast<std::uint8_t>(rng());
      if (k == 0 && flow % 4 == 0) p[0] = 22, p[1] = 3, p[2] = 1;  // TLS-ish
      if (k == 0 && flow % 4 == 1) p[0] = 6, p[1] = '/';           // API-ish
      Tcp t = (k % 2 ? c.s(p) : c.c(p));
      (k % 2 ? c.sseq : c.cseq) += static_cast<std::uint32_t>(p.size());
      segs.push_back(t);
    }
    std::shuffle(segs.begin(), segs.end(), rng);
    for (auto& t : segs) {
      if (rng() % 10 == 0) t.seq += rng() % 5000;  // overlaps and holes
      f.tcp(t);
      if (rng() % 7 == 0) f.tcp(t);  // retransmission
    }
  }
  AnalysisResult r = a.finish();
  EXPECT_EQ(r.flows.size(), 200u);
  for (const auto& fl : r.flows) EXPECT_GE(fl.packets, 30u);
}

TEST(Robustness, HugeAnnouncedLengthsAreNotAllocated) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  // API word announcing 0x0FFFFFFF bytes, then a TLS handshake announcing 16 MiB.
  c.client({0xEF, 0xFF, 0xFF, 0xFF, '/', 'x'});
  Conversation t{f};
  t.sport = 40001;
  t.dport = 8729;
  t.handshake();
  t.client({22, 3, 1, 0x40, 0x00, 1, 0xFF, 0xFF, 0xFF});
  for (int i = 0; i < 20; ++i) t.client(std::vector<std::uint8_t>(1000, 0xAB));
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 2u);
  EXPECT_NE(r.flows[0].cls, FlowClass::kRouterosApiPlaintext);
}

// A pcapng file of little-endian blocks, written to a temporary path.
class PcapngFile {
 public:
  PcapngFile() {
    block(0x0A0D0D0A,
          {0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    block(1, {1, 0, 0, 0, 0xFF, 0xFF, 0, 0});  // Ethernet
  }
  ~PcapngFile() { std::remove(path_.c_str()); }
  void block(std::uint32_t type, std::vector<std::uint8_t> body) {
    body.resize((body.size() + 3) & ~std::size_t{3});
    put(type);
    put(static_cast<std::uint32_t>(body.size() + 12));
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    put(static_cast<std::uint32_t>(body.size() + 12));
  }
  void put(std::uint32_t v) {
    std::uint8_t b[4];
    std::memcpy(b, &v, 4);
    bytes_.insert(bytes_.end(), b, b + 4);
  }
  const std::string& write() {
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()),
               static_cast<std::streamsize>(bytes_.size()));
    return path_;
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::string path_ = "/tmp/vantage-pcapng-" + std::to_string(::getpid()) + ".pcapng";
};

std::vector<std::uint8_t> packet_block(std::uint32_t caplen) {
  std::vector<std::uint8_t> b(20 + caplen, 0x5A);
  std::memset(b.data(), 0, 20);
  std::memcpy(b.data() + 12, &caplen, 4);
  std::memcpy(b.data() + 16, &caplen, 4);
  return b;
}

long max_rss_kb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A block's length is the writer's claim: a short file claiming a 64 MB block
// is refused as truncated after reading what is there, never by zeroing 64 MB
// first (fuzz/capture_pcapng spent half its time doing that).
TEST(Robustness, APcapngBlockClaimingMoreThanTheFileHoldsIsNotAllocated) {
  PcapngFile f;
  f.put(6);
  f.put(60u << 20);
  for (int i = 0; i < 64; ++i) f.put(0);
  const auto& path = f.write();
  const long before = max_rss_kb();
  int packets = 0;
  EXPECT_EQ(read_pcapng(path, [&](const PcapngPacket&) { ++packets; }), "truncated block");
  EXPECT_EQ(packets, 0);
  EXPECT_LT(max_rss_kb() - before, 16 * 1024) << "kB of peak RSS for a 300-byte file";
}

// Blocks larger than one read step, around a small one, come back whole.
TEST(Robustness, PcapngBlocksLargerThanAReadStepAreReadWhole) {
  PcapngFile f;
  f.block(6, packet_block(200'000));
  f.block(6, packet_block(60));
  f.block(6, packet_block(70'000));
  std::vector<std::uint32_t> caplens;
  bool intact = true;
  EXPECT_EQ(read_pcapng(f.write(),
                        [&](const PcapngPacket& p) {
                          caplens.push_back(p.pkt.caplen);
                          for (std::uint32_t i = 0; i < p.pkt.caplen; ++i)
                            intact = intact && p.pkt.data[i] == 0x5A;
                        }),
            "");
  EXPECT_EQ(caplens, (std::vector<std::uint32_t>{200'000, 60, 70'000}));
  EXPECT_TRUE(intact);
}

}  // namespace
}  // namespace vantage::capture
