#include "capture/redact.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "routeros/facts.hpp"

namespace vantage::capture {
namespace {

struct Marker {
  std::string_view text;
  bool http;  // case-insensitive header name; else a RouterOS word prefix
};
// "authorization:" also finds "Proxy-Authorization:".
constexpr Marker kMarkers[] = {{routeros::kPasswordAttribute, false},
                               {routeros::kResponseAttribute, false},
                               {"authorization:", true}};
constexpr std::size_t kLongestMarker = 14;
// The longest RouterOS word a one- or two-byte length prefix can announce.
constexpr std::uint32_t kLongestWord = 0x3FFF;
constexpr std::size_t kMaxDirs = 4096;
constexpr std::size_t kMaxRanges = 16;
constexpr std::uint32_t kMaxOpenValue = 64 * 1024;

// Schemes kept visible in front of the masked credentials (RFC 9110 registry).
constexpr std::string_view kSchemes[] = {
    "basic", "bearer", "digest",      "hoba",          "mutual",           "negotiate",
    "ntlm",  "vapid",  "scram-sha-1", "scram-sha-256", "aws4-hmac-sha256", "oauth"};

unsigned char lower(unsigned char c) {
  return static_cast<unsigned char>(std::tolower(c));
}

bool equal_at(std::span<const std::uint8_t> b, std::size_t at, const Marker& m, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    const unsigned char x = b[at + i], y = static_cast<unsigned char>(m.text[i]);
    if (m.http ? lower(x) != y : x != y) return false;
  }
  return true;
}

// A byte that ends a value: an API length prefix or terminator, or CR/LF.
bool ends_value(std::uint8_t c) {
  return c < 0x20 && c != '\t';
}

// Longest proper prefix of any marker that `b` ends with.
std::size_t partial_marker_at_end(std::span<const std::uint8_t> b) {
  for (std::size_t len = std::min(kLongestMarker - 1, b.size()); len > 0; --len)
    for (const Marker& m : kMarkers)
      if (len < m.text.size() && equal_at(b, b.size() - len, m, len)) return len;
  return 0;
}

bool any_marker(std::span<const std::uint8_t> b) {
  for (const Marker& m : kMarkers)
    for (std::size_t i = 0; i + m.text.size() <= b.size(); ++i)
      if (equal_at(b, i, m, m.text.size())) return true;
  return false;
}

// The RouterOS word length just before `at` in `w`, or 0 when unknown.
std::size_t word_length_before(std::span<const std::uint8_t> w, std::size_t at) {
  if (at >= 2 && (w[at - 2] & 0xC0) == 0x80)
    return static_cast<std::size_t>(w[at - 2] & 0x3F) << 8 | w[at - 1];
  if (at >= 1 && w[at - 1] < 0x80) return w[at - 1];
  return 0;
}

// Skips optional whitespace and a known scheme after "Authorization:".
std::size_t skip_scheme(std::span<const std::uint8_t> w, std::size_t at) {
  while (at < w.size() && (w[at] == ' ' || w[at] == '\t')) ++at;
  std::size_t end = at;
  while (end < w.size() && w[end] != ' ' && !ends_value(w[end])) ++end;
  if (end >= w.size() || w[end] != ' ') return at;  // no scheme seen whole: mask it all
  const std::size_t n = end - at;
  for (std::string_view s : kSchemes) {
    if (s.size() != n) continue;
    bool same = true;
    for (std::size_t i = 0; i < n && same; ++i)
      same = lower(w[at + i]) == static_cast<unsigned char>(s[i]);
    if (same) {
      while (end < w.size() && w[end] == ' ') ++end;
      return end;
    }
  }
  return at;
}

bool before(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}

}  // namespace

bool CredentialRedactor::KeyLess::operator()(const Key& a, const Key& b) const {
  auto flat = [](const Key& k) {
    return std::make_tuple(std::get<0>(k).family, std::get<0>(k).b, std::get<1>(k),
                           std::get<2>(k).family, std::get<2>(k).b, std::get<3>(k));
  };
  return flat(a) < flat(b);
}

CredentialRedactor::Dir& CredentialRedactor::dir(const Key& k) {
  auto it = dirs_.find(k);
  if (it == dirs_.end()) {
    if (dirs_.size() >= kMaxDirs) {  // forget the direction idle the longest
      auto oldest = std::min_element(dirs_.begin(), dirs_.end(), [](const auto& a, const auto& b) {
        return a.second.used < b.second.used;
      });
      dirs_.erase(oldest);
    }
    it = dirs_.emplace(k, Dir{}).first;
  }
  it->second.used = ++clock_;
  return it->second;
}

bool CredentialRedactor::needs_redaction(int dlt, std::span<const std::uint8_t> frame) {
  TcpSegment seg;
  const DecodeStatus st = decode_tcp(dlt, frame, seg);
  if (st == DecodeStatus::kNotTcp) return false;
  if (st != DecodeStatus::kTcp) return frame.size() > link_header_size(dlt, frame);
  if (seg.payload.empty()) return false;
  if (dirs_.count(Key{seg.src.ip, seg.src.port, seg.dst.ip, seg.dst.port}) > 0) return true;
  return any_marker(seg.payload) || partial_marker_at_end(seg.payload) > 0;
}

std::size_t CredentialRedactor::redact(int dlt, std::span<std::uint8_t> frame) {
  TcpSegment seg;
  const DecodeStatus st = decode_tcp(dlt, frame, seg);
  if (st == DecodeStatus::kNotTcp) return 0;
  if (st != DecodeStatus::kTcp) {
    const std::size_t keep = link_header_size(dlt, frame);
    std::fill(frame.begin() + static_cast<long>(keep), frame.end(), 0);
    return frame.size() - keep;
  }
  if (seg.payload.empty()) return 0;
  // The payload view points into `frame`: recover a mutable pointer.
  const std::span<std::uint8_t> pay(frame.data() + (seg.payload.data() - frame.data()),
                                    seg.payload.size());
  const std::uint32_t seq = seg.seq;
  const auto len = static_cast<std::uint32_t>(pay.size());
  const Key key{seg.src.ip, seg.src.port, seg.dst.ip, seg.dst.port};
  const bool known = dirs_.count(key) > 0;
  Dir& d = dir(key);
  const bool in_order = known && d.next_seq == seq;
  // Markers are searched in the bytes as they came: a mask laid first (a
  // range remembered from earlier, or the value before) may cover the start
  // of the next "=password=", whose value would then go unmasked (found by
  // fuzzing, redact_agreement).
  const std::string original(pay.begin(), pay.end());
  const std::span<const std::uint8_t> as_sent(
      reinterpret_cast<const std::uint8_t*>(original.data()), original.size());
  std::size_t masked = 0;
  auto mask = [&](std::size_t from, std::size_t to) {  // payload offsets, clamped here
    to = std::min(to, pay.size());
    for (std::size_t i = from; i < to; ++i) {
      if (pay[i] != '*') ++masked;
      pay[i] = '*';
    }
  };
  auto remember = [&](std::uint32_t b, std::uint32_t e) {
    if (b == e) return;
    if (d.masked.size() >= kMaxRanges) d.masked.erase(d.masked.begin());
    d.masked.push_back({b, e});
  };
  // Mask from payload offset `at` to the end of the value; an unfinished one
  // stays open for the next segment.
  auto mask_open_value = [&](std::size_t at) {
    std::size_t end = at;
    while (end < pay.size() && !ends_value(pay[end])) ++end;
    mask(at, end);
    remember(seq + static_cast<std::uint32_t>(at), seq + static_cast<std::uint32_t>(end));
    d.open_value = end == pay.size();
    if (d.open_value) d.open_budget = kMaxOpenValue;
  };

  // 1. Ranges masked before (a retransmission, or a value of known length
  //    whose next part arrives now, in any order).
  //    Offsets from seq, modulo 2^32: comparing the ends with before() read
  //    a range 2^31 away as both before and after this segment (found by
  //    fuzzing, capture_pcap: a mask 2^31 bytes past the payload).
  for (const Range& r : d.masked) {
    constexpr std::uint64_t kWrap = std::uint64_t{1} << 32;
    const std::uint64_t start = static_cast<std::uint32_t>(r.first - seq);
    const std::uint64_t size = static_cast<std::uint32_t>(r.second - r.first);
    if (start < len)
      mask(start, std::min<std::uint64_t>(len, start + size));
    else if (start + size > kWrap)  // began before this segment
      mask(0, std::min<std::uint64_t>(len, start + size - kWrap));
  }
  // 2. A value left open by the previous segment runs on into this one (or,
  //    after a hole, into whatever comes next: mask rather than guess).
  std::span<const std::uint8_t> window = as_sent;
  std::string joined;
  if (d.open_value && !before(seq, d.next_seq)) {
    const std::uint32_t budget = d.open_budget;
    d.open_value = false;
    mask_open_value(0);
    if (d.open_value) d.open_budget = budget > len ? budget - len : 0;
    if (d.open_value && d.open_budget == 0) d.open_value = false;
  }
  // 3. Markers, including one that began in the previous segment's tail.
  std::size_t skip = 0;
  if (in_order && !d.tail.empty()) {
    joined = d.tail;
    joined += original;
    window = {reinterpret_cast<const std::uint8_t*>(joined.data()), joined.size()};
    skip = d.tail.size();
  }
  for (const Marker& m : kMarkers) {
    for (std::size_t i = 0; i + m.text.size() <= window.size(); ++i) {
      const std::size_t end = i + m.text.size();
      if (end <= skip || !equal_at(window, i, m, m.text.size())) continue;
      const std::size_t value = end - skip;  // payload offset of the value
      if (m.http) {
        const std::size_t from = skip_scheme(window, end) - skip;
        mask_open_value(from);
        continue;
      }
      const std::size_t word = word_length_before(window, i);
      if (word < m.text.size()) {
        // The length prefix went in an earlier segment that was not kept, so
        // where the value ends is unknown, and a secret may hold control
        // bytes: mask as far as the longest word a two-byte prefix allows,
        // here and in whatever segments follow. The sentence's framing may
        // be lost; the secret never is (found by fuzzing, redact_agreement).
        const std::uint32_t b = seq + static_cast<std::uint32_t>(value);
        remember(b, b + kLongestWord);
        mask(value, std::min(pay.size(), value + kLongestWord));
        continue;
      }
      const std::size_t want = word - m.text.size();
      const std::uint32_t b = seq + static_cast<std::uint32_t>(value);
      remember(b, b + static_cast<std::uint32_t>(want));
      mask(value, std::min(pay.size(), value + want));
    }
  }
  // 4. What the next segment needs.
  if (!before(seq + len, d.next_seq) || !known) {
    // A marker may have begun in the old tail and still be unfinished.
    std::string seen = in_order ? d.tail : std::string();
    seen += original;
    const std::span<const std::uint8_t> all(reinterpret_cast<const std::uint8_t*>(seen.data()),
                                            seen.size());
    const std::size_t partial = partial_marker_at_end(all);
    // Two more bytes: the RouterOS word length in front of the marker.
    const std::size_t keep = partial > 0 ? std::min(seen.size(), partial + 2) : 0;
    d.next_seq = seq + len;
    d.tail = seen.substr(seen.size() - keep);
  }
  if (d.tail.empty() && !d.open_value && d.masked.empty()) dirs_.erase(key);
  return masked;
}

}  // namespace vantage::capture
