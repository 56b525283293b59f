#include "capture/reassembly.hpp"

#include <algorithm>

namespace vantage::capture {

void HalfStream::on_syn(std::uint32_t isn) {
  stats_.syn_seen = true;
  if (anchored_) return;  // a retransmitted SYN, or the capture reordered
  anchored_ = true;
  base_ = isn + 1;
  next_ = 0;
}

void HalfStream::on_segment(std::uint32_t seq, std::span<const std::uint8_t> captured,
                            std::uint32_t declared, std::uint64_t packet, StreamSink& sink) {
  if (declared == 0) return;
  if (!anchored_) {
    anchored_ = true;
    stats_.midstream = true;
    base_ = seq;
    next_ = 0;
  }
  const auto here = static_cast<std::uint32_t>(base_ + next_);
  const auto delta = static_cast<std::int32_t>(seq - here);
  const std::int64_t start = static_cast<std::int64_t>(next_) + delta;
  const std::int64_t end = start + declared;
  if (end <= static_cast<std::int64_t>(next_)) {  // everything already delivered
    stats_.retransmitted += declared;
    return;
  }
  std::uint64_t off = static_cast<std::uint64_t>(start);
  std::uint32_t missing_tail = declared - static_cast<std::uint32_t>(captured.size());
  if (start < static_cast<std::int64_t>(next_)) {  // partial overlap: trim the front
    const auto trim = static_cast<std::uint64_t>(static_cast<std::int64_t>(next_) - start);
    stats_.overlapped += trim;
    if (trim >= captured.size()) {
      missing_tail -= static_cast<std::uint32_t>(trim - captured.size());
      captured = {};
    } else {
      captured = captured.subspan(trim);
    }
    off = next_;
  }
  if (off == next_) {
    deliver(captured, missing_tail, packet, sink);
    if (!pending_.empty()) drain(sink);
    return;
  }
  // Ahead of a hole: keep a copy until the hole fills.
  ++stats_.out_of_order;
  auto [it, inserted] = pending_.try_emplace(off);
  if (!inserted) {
    if (it->second.bytes.size() + it->second.missing_tail >= captured.size() + missing_tail) {
      stats_.retransmitted += declared;
      return;
    }
    buffered_bytes_ -= it->second.bytes.size();
  }
  it->second.bytes.assign(captured.begin(), captured.end());
  it->second.missing_tail = missing_tail;
  it->second.packet = packet;
  buffered_bytes_ += captured.size();
  // Bounded memory: a hole that stays open too long is a gap.
  while (!pending_.empty() && (buffered_bytes_ > limits_.max_buffered_bytes ||
                               pending_.size() > limits_.max_buffered_segments)) {
    gap_to(pending_.begin()->first, pending_.begin()->second.packet, sink);
    drain(sink);
  }
}

void HalfStream::deliver(std::span<const std::uint8_t> bytes, std::uint32_t missing_tail,
                         std::uint64_t packet, StreamSink& sink) {
  if (!bytes.empty()) {
    sink.on_data(bytes, packet);
    stats_.delivered += bytes.size();
    next_ += bytes.size();
  }
  if (missing_tail > 0) {
    ++stats_.gaps;
    stats_.gap_bytes += missing_tail;
    if (stats_.first_gap_packet == 0) stats_.first_gap_packet = packet;
    sink.on_gap(missing_tail, packet);
    next_ += missing_tail;
  }
}

void HalfStream::drain(StreamSink& sink) {
  while (!pending_.empty()) {
    auto it = pending_.begin();
    if (it->first > next_) return;
    Pending seg = std::move(it->second);
    const std::uint64_t off = it->first;
    pending_.erase(it);
    buffered_bytes_ -= seg.bytes.size();
    const std::uint64_t end = off + seg.bytes.size() + seg.missing_tail;
    if (end <= next_) {
      stats_.retransmitted += seg.bytes.size() + seg.missing_tail;
      continue;
    }
    std::span<const std::uint8_t> bytes(seg.bytes);
    std::uint32_t tail = seg.missing_tail;
    const std::uint64_t trim = next_ - off;
    stats_.overlapped += trim;
    if (trim >= bytes.size()) {
      tail -= static_cast<std::uint32_t>(trim - bytes.size());
      bytes = {};
    } else {
      bytes = bytes.subspan(trim);
    }
    deliver(bytes, tail, seg.packet, sink);
  }
}

void HalfStream::gap_to(std::uint64_t off, std::uint64_t packet, StreamSink& sink) {
  if (off <= next_) return;
  const std::uint64_t missing = off - next_;
  ++stats_.gaps;
  stats_.gap_bytes += missing;
  if (stats_.first_gap_packet == 0) stats_.first_gap_packet = packet;
  sink.on_gap(missing, packet);
  next_ = off;
}

void HalfStream::flush(StreamSink& sink) {
  while (!pending_.empty()) {
    gap_to(pending_.begin()->first, pending_.begin()->second.packet, sink);
    drain(sink);
  }
}

}  // namespace vantage::capture
