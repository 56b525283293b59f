#pragma once
// One direction of a TCP connection, reassembled into an in-order byte
// stream for a consumer.
//
//   stream offset 0 = the byte after the SYN (or, for a connection already in
//   progress when the capture started, the first byte seen)
//
//   next_ ----v
//   [delivered][ hole ][buffered seg][ hole ][buffered seg]
//
// - in order: delivered straight from the packet, no copy;
// - out of order: copied into a bounded buffer until the hole fills;
// - retransmission / overlap: the bytes already delivered win (first copy
//   wins, as most receivers do), the rest is delivered;
// - a hole that does not fill (buffer limit, end of stream) becomes a gap:
//   the consumer is told how many bytes are missing, nothing is guessed.
// Sequence numbers wrap; offsets are 64-bit and unwrapped against next_.
#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace vantage::capture {

struct ReassemblyLimits {
  std::size_t max_buffered_bytes = 256 * 1024;
  std::size_t max_buffered_segments = 512;
};

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // In-order bytes, from the segment in capture packet `packet`.
  virtual void on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet) = 0;
  // `missing` bytes will never be delivered; the next on_data follows them.
  virtual void on_gap(std::uint64_t missing, std::uint64_t packet) = 0;
};

struct StreamStats {
  // Bytes handed to the sink. Reassembly of a direction stops once no
  // classifier wants more of it, so this can be less than the bytes sent.
  std::uint64_t delivered = 0;
  std::uint64_t retransmitted = 0;  // bytes seen again entirely
  std::uint64_t overlapped = 0;     // bytes trimmed from partial overlaps
  std::uint64_t out_of_order = 0;   // segments that arrived ahead of a hole
  std::uint64_t gaps = 0;
  std::uint64_t gap_bytes = 0;
  std::uint64_t first_gap_packet = 0;
  bool syn_seen = false;
  bool midstream = false;  // no SYN: the stream was already in progress
};

class HalfStream {
 public:
  explicit HalfStream(ReassemblyLimits limits = {}) : limits_(limits) {}

  void on_syn(std::uint32_t isn);
  // A segment carrying `declared` payload bytes of which `captured` were captured
  // (a short snaplen cuts the rest: that part becomes a gap).
  void on_segment(std::uint32_t seq, std::span<const std::uint8_t> captured, std::uint32_t declared,
                  std::uint64_t packet, StreamSink& sink);
  // End of stream (or of capture): what is still buffered is delivered after gaps.
  void flush(StreamSink& sink);

  const StreamStats& stats() const { return stats_; }
  std::size_t buffered_bytes() const { return buffered_bytes_; }
  bool anchored() const { return anchored_; }

 private:
  struct Pending {
    std::vector<std::uint8_t> bytes;
    std::uint32_t missing_tail = 0;  // snapped bytes after `bytes`
    std::uint64_t packet = 0;
  };
  void deliver(std::span<const std::uint8_t> bytes, std::uint32_t missing_tail,
               std::uint64_t packet, StreamSink& sink);
  void drain(StreamSink& sink);
  void gap_to(std::uint64_t off, std::uint64_t packet, StreamSink& sink);

  ReassemblyLimits limits_;
  bool anchored_ = false;
  std::uint32_t base_ = 0;  // sequence number of offset 0
  std::uint64_t next_ = 0;  // next offset expected
  std::map<std::uint64_t, Pending> pending_;
  std::size_t buffered_bytes_ = 0;
  StreamStats stats_;
};

}  // namespace vantage::capture
