// The analyzer's memory bounds on a hostile input: a flood of unique SYNs,
// out-of-order bytes in many flows, more findings than a report lists. Each
// bound holds, the report says it was reached, and nothing exposed escapes
// judgement because of it.
#include <gtest/gtest.h>

#include "capture/analyzer.hpp"
#include "capture/packet.hpp"
#include "frames.hpp"
#include "routeros/codec.hpp"

namespace vantage::capture {
namespace {

using namespace vantage::capture::testing;

const std::string kSecret = "Flood-hides-me-9";

std::vector<std::uint8_t> login(const std::string& user) {
  return routeros::Sentence({"/login", "=name=" + user, "=password=" + kSecret}).encode();
}

// SYNs from `n` distinct 4-tuples (sources 198.51.100.0/24, ports counting up).
void syn_flood(Feeder& f, int n, std::uint32_t first = 0) {
  for (int i = 0; i < n; ++i) {
    Tcp t;
    const std::uint32_t k = first + static_cast<std::uint32_t>(i);
    t.src_ip = 0xC6336400 | (k & 0xff);
    t.sport = static_cast<std::uint16_t>(1024 + k / 256);
    t.flags = 0x02;
    f.tcp(t);
  }
}

bool has_problem(const AnalysisResult& r, const std::string& words) {
  for (const auto& p : r.problems)
    if (p.what.find(words) != std::string::npos) return true;
  return false;
}

TEST(AnalyzerBounds, SynFloodKeepsTrackedAndListedFlowsBounded) {
  AnalyzerOptions o;
  o.max_tracked_flows = 100;
  o.max_reported_flows = 50;
  Analyzer a(o);
  Feeder f(a);
  syn_flood(f, 5000);
  auto r = a.finish();
  EXPECT_EQ(r.flows_total, 5000u);
  EXPECT_EQ(r.flows.size(), 50u);
  EXPECT_EQ(r.flows_unlisted(), 4950u);
  EXPECT_EQ(r.flows_cut_short, 4900u);  // all but the last 100 were still open when evicted
  EXPECT_TRUE(has_problem(r, "bound on tracked flows was reached"));
  for (std::size_t i = 1; i < r.flows.size(); ++i) EXPECT_LT(r.flows[i - 1].id, r.flows[i].id);
  // Only SYNs: nothing was exposed, and nothing is unverifiable.
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.unverified().empty());
}

TEST(AnalyzerBounds, ALoginInAFlowEvictedByAFloodIsStillFound) {
  AnalyzerOptions o;
  o.max_tracked_flows = 64;
  Analyzer a(o);
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  syn_flood(f, 1000);  // pushes the quiet login flow out
  c.client(login("evicted"));
  auto r = a.finish();
  bool found = false;
  for (const auto& fd : r.findings)
    found |= fd.kind == "credential-exposure" && fd.user == "evicted";
  EXPECT_TRUE(found);
  EXPECT_GT(r.flows_cut_short, 0u);
}

TEST(AnalyzerBounds, OutOfOrderBytesAcrossFlowsAreBoundedInTotal) {
  AnalyzerOptions o;
  o.max_buffered_bytes = 64 * 1024;
  Analyzer a(o);
  Feeder f(a);
  // 200 flows, each holding 4 KB it cannot deliver (the first 100 bytes are missing).
  for (std::uint16_t i = 0; i < 200; ++i) {
    Conversation c{f};
    c.sport = static_cast<std::uint16_t>(20000 + i);
    c.handshake();
    Tcp t = c.c(std::vector<std::uint8_t>(4096, 'x'));
    t.seq += 100;
    f.tcp(t);
  }
  auto r = a.finish();
  EXPECT_EQ(r.flows_total, 200u);
  EXPECT_TRUE(has_problem(r, "bytes held for reassembly"));
  // At most 64 KB / 4 KB flows could hold their bytes at once: most were cut.
  EXPECT_GE(r.flows_cut_short, 200u - 64 * 1024 / 4096 - 1);
  // Each cut flow had bytes missing before the API port's data: unverifiable, never clean.
  EXPECT_FALSE(r.unverified().empty());
}

TEST(AnalyzerBounds, FindingsPastTheBoundKeepTheMostSevere) {
  Analyzer a;
  Feeder f(a);
  const auto n = static_cast<std::uint16_t>(AnalysisResult::kMaxFindings + 200);
  for (std::uint16_t i = 0; i < n; ++i) {
    Conversation c{f};
    c.sport = static_cast<std::uint16_t>(10000 + i);
    c.handshake();
    c.client(routeros::Sentence({"/system/identity/print"}).encode());  // plaintext API only
    c.close();
  }
  Conversation c{f};
  c.sport = 9999;
  c.handshake();
  c.client(login("last"));
  c.close();
  auto r = a.finish();
  EXPECT_EQ(r.findings.size(), AnalysisResult::kMaxFindings);
  EXPECT_GT(r.findings_total, r.findings.size());
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.front().kind, "credential-exposure");
  EXPECT_EQ(r.findings.front().user, "last");
}

}  // namespace
}  // namespace vantage::capture

namespace vantage::capture {
namespace {

// A capture file's timestamps are whatever its writer claims: they are kept
// within [0, year 9999], so no difference between two of them overflows
// (fuzz/capture_pcap found a pcapng whose seconds overflowed int64 in µs).
TEST(TimestampBounds, FileTimestampsAreClampedNeverOverflowed) {
  EXPECT_EQ(timeval_us(1'700'000'000, 123'456), 1'700'000'000'123'456);
  EXPECT_EQ(timeval_us(1'700'000'000'001'000, 0), kMaxTimestampUs);
  EXPECT_EQ(timeval_us(INT64_MAX, 999'999), kMaxTimestampUs);
  EXPECT_EQ(timeval_us(-5, 0), 0);
  EXPECT_EQ(clamp_timestamp_us(18446744073709551615.0L), kMaxTimestampUs);
}

}  // namespace
}  // namespace vantage::capture
