// Hostile input never crashes the analysis: random frames on every link type,
// random TCP payloads (through the TLS walker and the API sniffer), and
// random segment orders, with memory staying bounded per flow.
#include <gtest/gtest.h>

#include <random>

#include "capture/analyzer.hpp"
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

}  // namespace
}  // namespace vantage::capture
