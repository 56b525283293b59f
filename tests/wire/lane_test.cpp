// The scheduling logic without a network: release times (delay, jitter
// bounds, never reordered), the loss rate over a seeded run, the queue bound.
#include "wire/lane.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "wire/rules.hpp"

namespace vantage::wire {
namespace {

using namespace std::chrono_literals;

Impairment imp(Nanos delay, Nanos jitter, double loss) {
  Impairment i;
  i.delay = delay;
  i.jitter = jitter;
  i.loss = loss;
  return i;
}

TEST(WireLane, HoldsEachPacketForTheDelay) {
  Lane lane(imp(60ms, 0ms, 0), 100, 1);
  const Clock::time_point t0{};
  ASSERT_EQ(lane.arrive(1, t0), Lane::Fate::kHeld);
  ASSERT_EQ(lane.arrive(2, t0 + 10ms), Lane::Fate::kHeld);
  EXPECT_EQ(lane.next_release(), t0 + 60ms);
  EXPECT_TRUE(lane.due(t0 + 59ms).empty());
  EXPECT_EQ(lane.due(t0 + 60ms), std::vector<std::uint32_t>{1});
  EXPECT_EQ(lane.next_release(), t0 + 70ms);
  EXPECT_EQ(lane.due(t0 + 100ms), std::vector<std::uint32_t>{2});
  EXPECT_FALSE(lane.next_release());
  EXPECT_EQ(lane.stats().passed, 2u);
  EXPECT_EQ(lane.stats().max_depth, 2u);
}

TEST(WireLane, ZeroDelayIsDueAtOnce) {
  Lane lane(imp(0ms, 0ms, 0), 10, 1);
  const Clock::time_point t0{};
  lane.arrive(9, t0);
  EXPECT_EQ(lane.due(t0), std::vector<std::uint32_t>{9});
}

TEST(WireLane, JitterStaysInBoundsAndNeverReorders) {
  Lane lane(imp(60ms, 5ms, 0), 100000, 42);
  const Clock::time_point t0{};
  Clock::time_point last{};
  Nanos lo = 1h, hi = 0ms;
  // Packets 250 us apart, closer than the jitter, so reordering would show.
  Lane held(imp(60ms, 5ms, 0), 100000, 42);
  std::vector<Clock::time_point> arrivals;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    const auto now = t0 + std::chrono::microseconds(250) * i;
    arrivals.push_back(now);
    held.arrive(i, now);
  }
  std::uint32_t expect = 0;
  while (auto rel = held.next_release()) {
    ASSERT_GE(*rel, last) << "released before the packet ahead of it";
    last = *rel;
    for (auto id : held.due(*rel)) {
      ASSERT_EQ(id, expect) << "reordered";
      const Nanos d = *rel - arrivals[id];
      lo = std::min(lo, d);
      hi = std::max(hi, d);
      ++expect;
    }
  }
  EXPECT_EQ(expect, 10000u);
  EXPECT_GE(lo, 60ms);
  EXPECT_LT(hi, 65ms);
  // Spaced wider than the jitter (nothing to keep in order), the whole
  // spread is used, not collapsed onto the delay.
  Lane sparse(imp(60ms, 5ms, 0), 10, 42);
  Nanos slo = 1h, shi = 0ms;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const auto now = t0 + 10ms * i;
    sparse.arrive(i, now);
    const Nanos d = *sparse.next_release() - now;
    slo = std::min(slo, d);
    shi = std::max(shi, d);
    sparse.drain();
  }
  EXPECT_GE(slo, 60ms);
  EXPECT_LT(shi, 65ms);
  EXPECT_GT(shi - slo, 4900us);
}

TEST(WireLane, LossRateOverASeededRun) {
  Lane lane(imp(0ms, 0ms, 0.02), 1000000, 1234);
  const Clock::time_point t0{};
  const int n = 100000;
  int lost = 0;
  for (int i = 0; i < n; ++i) {
    auto fate = lane.arrive(static_cast<std::uint32_t>(i), t0);
    if (fate == Lane::Fate::kLost) ++lost;
    lane.due(t0);
  }
  EXPECT_EQ(static_cast<std::uint64_t>(lost), lane.stats().lost);
  EXPECT_EQ(lane.stats().passed + lane.stats().lost, static_cast<std::uint64_t>(n));
  // 2% of 100000: mean 2000, sd 44; 5 sd either side.
  EXPECT_NEAR(lost, 2000, 220);
  // The same seed gives the same fates.
  Lane again(imp(0ms, 0ms, 0.02), 1000000, 1234);
  int lost_again = 0;
  for (int i = 0; i < n; ++i)
    lost_again += again.arrive(static_cast<std::uint32_t>(i), t0) == Lane::Fate::kLost;
  EXPECT_EQ(lost, lost_again);
}

TEST(WireLane, NoLossAndFullLoss) {
  const Clock::time_point t0{};
  Lane none(imp(0ms, 0ms, 0), 10, 1), all(imp(0ms, 0ms, 1), 10, 1);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(none.arrive(i, t0), Lane::Fate::kHeld);
    none.due(t0);
    EXPECT_EQ(all.arrive(i, t0), Lane::Fate::kLost);
  }
}

TEST(WireLane, BoundDropsAndCounts) {
  Lane lane(imp(100ms, 0ms, 0), 3, 1);
  const Clock::time_point t0{};
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(lane.arrive(i, t0), Lane::Fate::kHeld);
  EXPECT_EQ(lane.arrive(3, t0), Lane::Fate::kOverflow);
  EXPECT_EQ(lane.arrive(4, t0 + 1ms), Lane::Fate::kOverflow);
  EXPECT_EQ(lane.depth(), 3u);
  EXPECT_EQ(lane.stats().overflow, 2u);
  EXPECT_EQ(lane.stats().max_depth, 3u);
  EXPECT_EQ(lane.due(t0 + 100ms).size(), 3u);
  EXPECT_EQ(lane.arrive(5, t0 + 100ms), Lane::Fate::kHeld);  // room again
  EXPECT_EQ(lane.drain(), std::vector<std::uint32_t>{5});
  EXPECT_EQ(lane.stats().passed, 4u);
}

TEST(WireRules, ScriptsInstallAndRemoveExactlyOurChains) {
  QueueNumbers q;
  EXPECT_EQ(Rules::install_script(q),
            "*mangle\n"
            ":VANTAGE_WIRE_IN - [0:0]\n:VANTAGE_WIRE_OUT - [0:0]\n"
            "-A VANTAGE_WIRE_IN -j NFQUEUE --queue-num 7100\n"
            "-A VANTAGE_WIRE_OUT -j NFQUEUE --queue-num 7101\n"
            "-I PREROUTING 1 ! -i lo -j VANTAGE_WIRE_IN\n"
            "-I POSTROUTING 1 ! -o lo -j VANTAGE_WIRE_OUT\n"
            "COMMIT\n");
  q.loopback = 7102;
  const std::string rm = Rules::remove_script(q);
  EXPECT_NE(rm.find("-D OUTPUT -o lo -j VANTAGE_WIRE_LO\n"), std::string::npos);
  EXPECT_NE(rm.find("-X VANTAGE_WIRE_LO\n"), std::string::npos);
  EXPECT_EQ(rm.find("bypass"), std::string::npos);
  EXPECT_EQ(Rules::install_script(q).find("bypass"), std::string::npos);  // fail closed
}

}  // namespace
}  // namespace vantage::wire
