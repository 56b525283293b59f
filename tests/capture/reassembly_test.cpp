// TCP reassembly with crafted segments: reorder, retransmission, overlap,
// gap, mid-stream start, wrap-around, bounded buffering and snapped frames.
#include "capture/reassembly.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vantage::capture {
namespace {

struct Recorder : StreamSink {
  std::string data;  // delivered bytes, gaps shown as [gap N]
  std::vector<std::uint64_t> packets;
  void on_data(std::span<const std::uint8_t> b, std::uint64_t packet) override {
    data.append(b.begin(), b.end());
    packets.push_back(packet);
  }
  void on_gap(std::uint64_t missing, std::uint64_t) override {
    data += "[gap " + std::to_string(missing) + "]";
  }
};

std::span<const std::uint8_t> S(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct HalfStreamTest : ::testing::Test {
  HalfStream hs;
  Recorder rec;
  std::uint64_t pkt = 0;
  void seg(std::uint32_t seq, const std::string& s) {
    hs.on_segment(seq, S(s), static_cast<std::uint32_t>(s.size()), ++pkt, rec);
  }
};

TEST_F(HalfStreamTest, InOrderAfterSyn) {
  hs.on_syn(100);
  seg(101, "hello ");
  seg(107, "world");
  EXPECT_EQ(rec.data, "hello world");
  EXPECT_TRUE(hs.stats().syn_seen);
  EXPECT_FALSE(hs.stats().midstream);
  EXPECT_EQ(hs.stats().delivered, 11u);
}

TEST_F(HalfStreamTest, ReorderedSegmentsAreDeliveredInOrder) {
  hs.on_syn(100);
  seg(107, "world");  // arrives first
  EXPECT_EQ(rec.data, "");
  EXPECT_EQ(hs.buffered_bytes(), 5u);
  seg(104, "lo ");
  seg(101, "hel");
  EXPECT_EQ(rec.data, "hello world");
  EXPECT_EQ(hs.stats().out_of_order, 2u);
  EXPECT_EQ(hs.buffered_bytes(), 0u);
  EXPECT_EQ(rec.packets, (std::vector<std::uint64_t>{3, 2, 1}));
}

TEST_F(HalfStreamTest, RetransmissionIsNotDeliveredTwice) {
  hs.on_syn(0);
  seg(1, "abc");
  seg(1, "abc");
  seg(4, "def");
  seg(1, "abcdef");
  EXPECT_EQ(rec.data, "abcdef");
  EXPECT_EQ(hs.stats().retransmitted, 9u);
}

TEST_F(HalfStreamTest, PartialOverlapDeliversOnlyNewBytesFirstCopyWins) {
  hs.on_syn(0);
  seg(1, "abcdef");
  seg(4, "XYZghi");  // overlaps "def"; the first copy wins
  EXPECT_EQ(rec.data, "abcdefghi");
  EXPECT_EQ(hs.stats().overlapped, 3u);
}

TEST_F(HalfStreamTest, OverlapBetweenBufferedSegments) {
  hs.on_syn(0);
  seg(5, "efgh");   // buffered
  seg(3, "cdefg");  // buffered, overlaps
  seg(1, "ab");
  EXPECT_EQ(rec.data, "abcdefgh");
}

TEST_F(HalfStreamTest, GapIsReportedNotGuessedOver) {
  hs.on_syn(0);
  seg(1, "aaaa");
  seg(9, "cccc");  // bytes 5..8 never captured
  EXPECT_EQ(rec.data, "aaaa");
  hs.flush(rec);
  EXPECT_EQ(rec.data, "aaaa[gap 4]cccc");
  EXPECT_EQ(hs.stats().gaps, 1u);
  EXPECT_EQ(hs.stats().gap_bytes, 4u);
  EXPECT_EQ(hs.stats().first_gap_packet, 2u);
  // A late copy of the missing bytes does not rewrite history.
  seg(5, "bbbb");
  EXPECT_EQ(rec.data, "aaaa[gap 4]cccc");
}

TEST_F(HalfStreamTest, MidStreamStartAnchorsOnFirstSegment) {
  seg(900000, "xyz");
  seg(900003, "123");
  EXPECT_EQ(rec.data, "xyz123");
  EXPECT_TRUE(hs.stats().midstream);
  EXPECT_FALSE(hs.stats().syn_seen);
}

TEST_F(HalfStreamTest, SequenceWrapAround) {
  hs.on_syn(0xFFFFFFFCu);
  seg(0xFFFFFFFDu, "abc");
  seg(0x00000000u, "def");  // wrapped
  seg(0x00000003u, "ghi");
  EXPECT_EQ(rec.data, "abcdefghi");
}

TEST(Reassembly, BufferLimitTurnsAStuckHoleIntoAGap) {
  ReassemblyLimits lim;
  lim.max_buffered_bytes = 8;
  HalfStream hs(lim);
  Recorder rec;
  hs.on_syn(0);
  const std::string a = "AAAA", b = "BBBB", c = "CCCC";
  hs.on_segment(1, S(a), 4, 1, rec);
  hs.on_segment(9, S(b), 4, 2, rec);   // hole 5..8
  hs.on_segment(13, S(c), 4, 3, rec);  // buffer 8 bytes: at the limit
  EXPECT_EQ(rec.data, "AAAA");
  const std::string d = "DDDD";
  hs.on_segment(17, S(d), 4, 4, rec);  // over the limit: the hole becomes a gap
  EXPECT_EQ(rec.data, "AAAA[gap 4]BBBBCCCCDDDD");
  EXPECT_LE(hs.buffered_bytes(), 8u);
}

TEST(Reassembly, SnappedSegmentBecomesAGap) {
  HalfStream hs;
  Recorder rec;
  hs.on_syn(0);
  const std::string part = "abc";  // 10 bytes on the wire, 3 captured
  hs.on_segment(1, S(part), 10, 1, rec);
  const std::string next = "klm";
  hs.on_segment(11, S(next), 3, 2, rec);
  EXPECT_EQ(rec.data, "abc[gap 7]klm");
}

}  // namespace
}  // namespace vantage::capture
