#include "capture/redact.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace vantage::capture {
namespace {

constexpr std::string_view kMarkers[] = {"=password=", "=response="};
constexpr std::size_t kMaxCarried = 1024;

const std::uint8_t* find(const std::uint8_t* b, const std::uint8_t* e, std::string_view m) {
  auto it = std::search(b, e, m.begin(), m.end(),
                        [](std::uint8_t x, char y) { return x == static_cast<std::uint8_t>(y); });
  return it == e ? nullptr : it;
}

}  // namespace

bool CredentialRedactor::KeyLess::operator()(const Key& a, const Key& b) const {
  auto flat = [](const Key& k) {
    return std::make_tuple(std::get<0>(k).family, std::get<0>(k).b, std::get<1>(k),
                           std::get<2>(k).family, std::get<2>(k).b, std::get<3>(k));
  };
  return flat(a) < flat(b);
}

bool CredentialRedactor::needs_redaction(int dlt, std::span<const std::uint8_t> frame) {
  TcpSegment seg;
  if (decode_tcp(dlt, frame, seg) != DecodeStatus::kTcp || seg.payload.empty()) return false;
  if (!carry_.empty() &&
      carry_.count(Key{seg.src.ip, seg.src.port, seg.dst.ip, seg.dst.port}) > 0) {
    return true;
  }
  const auto* b = seg.payload.data();
  const auto* e = b + seg.payload.size();
  for (auto m : kMarkers)
    if (find(b, e, m)) return true;
  return false;
}

std::size_t CredentialRedactor::redact(int dlt, std::span<std::uint8_t> frame) {
  TcpSegment seg;
  if (decode_tcp(dlt, frame, seg) != DecodeStatus::kTcp || seg.payload.empty()) return 0;
  // The payload view points into `frame`: recover a mutable pointer.
  std::uint8_t* b = frame.data() + (seg.payload.data() - frame.data());
  std::uint8_t* e = b + seg.payload.size();
  std::size_t masked = 0;
  const Key key{seg.src.ip, seg.src.port, seg.dst.ip, seg.dst.port};
  if (auto it = carry_.find(key); it != carry_.end()) {
    if (it->second.next_seq == seg.seq) {
      const std::size_t n = std::min<std::size_t>(it->second.remaining, seg.payload.size());
      std::fill(b, b + n, '*');
      masked += n;
      it->second.remaining -= static_cast<std::uint32_t>(n);
      it->second.next_seq += static_cast<std::uint32_t>(n);
      if (it->second.remaining == 0) carry_.erase(it);
    } else if (static_cast<std::int32_t>(seg.seq - it->second.next_seq) > 0) {
      carry_.erase(it);  // the stream moved on past what we were waiting for
    }
  }
  for (auto m : kMarkers) {
    const std::uint8_t* from = b;
    while (const std::uint8_t* hit = find(from, e, m)) {
      std::uint8_t* p = const_cast<std::uint8_t*>(hit);
      const std::size_t at = static_cast<std::size_t>(p - b);
      std::uint8_t* value = p + m.size();
      // The word length sits just before the word: 1 byte, or 2 bytes 10xxxxxx.
      std::size_t word_len = 0;
      if (at >= 2 && (p[-2] & 0xC0) == 0x80)
        word_len = static_cast<std::size_t>(p[-2] & 0x3F) << 8 | p[-1];
      else if (at >= 1 && p[-1] < 0x80)
        word_len = p[-1];
      std::uint8_t* end;
      std::size_t beyond = 0;
      if (word_len >= m.size()) {
        const std::size_t want = word_len - m.size();
        const auto avail = static_cast<std::size_t>(e - value);
        end = value + std::min(want, avail);
        beyond = want > avail ? want - avail : 0;
      } else {
        // Unknown length: mask up to the next control byte (a length prefix or terminator).
        end = value;
        while (end < e && *end >= 0x20) ++end;
      }
      std::fill(value, end, '*');
      masked += static_cast<std::size_t>(end - value);
      if (beyond > 0 && carry_.size() < kMaxCarried) {
        carry_[key] = {seg.seq + static_cast<std::uint32_t>(seg.payload.size()),
                       static_cast<std::uint32_t>(beyond)};
      }
      from = end;
    }
  }
  return masked;
}

}  // namespace vantage::capture
