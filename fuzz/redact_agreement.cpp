// Differential: the capture redactor (capture/redact.hpp), the RouterOS facts
// (routeros/facts.hpp, what the analyzer and the prober call a secret) and the
// analyzer's findings must agree. A client sends fuzzer-chosen sentences to
// the API port in fuzzer-cut TCP segments; after the redactor has seen every
// frame, no secret value may be left in the redacted bytes, decoding them must
// show every secret attribute's value masked (while the framing survives: a
// length prefix alone in its segment costs the framing, by design), and no
// finding may quote a secret.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "capture/analyzer.hpp"
#include "capture/redact.hpp"
#include "fuzz_support.hpp"
#include "routeros/decoder.hpp"
#include "routeros/facts.hpp"
#include "routeros/sentence.hpp"

using namespace vantage;

namespace {
constexpr int kDltRaw = 12;

std::vector<std::uint8_t> segment(std::uint32_t seq, std::span<const std::uint8_t> payload) {
  std::vector<std::uint8_t> v(40 + payload.size());
  v[0] = 0x45;
  v[2] = static_cast<std::uint8_t>(v.size() >> 8);
  v[3] = static_cast<std::uint8_t>(v.size());
  v[8] = 64;
  v[9] = 6;
  const std::uint8_t ips[8] = {192, 0, 2, 1, 192, 0, 2, 2};
  std::memcpy(&v[12], ips, 8);
  v[20] = 40000 >> 8;
  v[21] = 40000 & 0xFF;
  v[22] = 8728 >> 8;
  v[23] = 8728 & 0xFF;
  for (int i = 0; i < 4; ++i) v[24 + i] = static_cast<std::uint8_t>(seq >> (24 - 8 * i));
  v[32] = 0x50;
  v[33] = 0x18;  // PSH|ACK
  v[34] = v[35] = 0xFF;
  if (!payload.empty()) std::memcpy(&v[40], payload.data(), payload.size());
  return v;
}

const char* const kWordStarts[] = {"=password=", "=response=", "=name=",
                                   "/login",     "=pass",      ".tag=",
                                   "=",          "",           "/system/resource/print"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::vector<routeros::Sentence> sent;
  std::vector<std::uint8_t> stream;
  while (!in.empty() && sent.size() < 6) {
    routeros::Sentence s;
    const std::size_t words = 1 + in.byte() % 5;
    for (std::size_t i = 0; i < words; ++i) {
      const std::uint8_t b = in.byte();
      std::string w = kWordStarts[b % std::size(kWordStarts)];
      w += fuzz::as_string(in.take(b >> 2));  // < 64 bytes: 1-byte length prefixes
      if (w.empty()) w = "x";
      s.words.push_back(std::move(w));
    }
    const auto bytes = s.encode();
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    sent.push_back(std::move(s));
  }
  if (stream.empty()) return 0;
  // The ideal redaction: every secret value masked, nothing else; the same
  // length as the stream (redaction never moves a byte).
  std::vector<std::uint8_t> ideal;
  for (const auto& orig : sent) {
    routeros::Sentence masked = orig;
    for (auto& w : masked.words)
      if (const auto key = routeros::secret_attribute(w); !key.empty())
        std::fill(w.begin() + static_cast<std::ptrdiff_t>(key.size()), w.end(), '*');
    const auto e = masked.encode();
    ideal.insert(ideal.end(), e.begin(), e.end());
  }
  if (ideal.size() != stream.size()) std::abort();

  // Cut into segments at fuzzer-chosen sizes; feed analyzer and redactor, and
  // a second analyzer the ideal bytes (what its findings may say anyway).
  capture::Analyzer analyzer, ideal_analyzer;
  analyzer.begin_source("fuzz", kDltRaw, "RAW");
  ideal_analyzer.begin_source("fuzz", kDltRaw, "RAW");
  capture::CredentialRedactor red;
  std::vector<std::uint8_t> redacted;
  std::uint32_t seq = 1000;
  std::size_t off = 0;
  std::int64_t ts = 1'700'000'000'000'000;
  while (off < stream.size()) {
    const std::size_t n = std::min<std::size_t>(1 + in.byte() % 64, stream.size() - off);
    auto frame = segment(seq, {stream.data() + off, n});
    capture::RawPacket pkt;
    pkt.ts_us = ts++;
    pkt.caplen = pkt.wirelen = static_cast<std::uint32_t>(frame.size());
    pkt.data = frame.data();
    analyzer.add(pkt);
    auto ideal_frame = segment(seq, {ideal.data() + off, n});
    pkt.data = ideal_frame.data();
    ideal_analyzer.add(pkt);
    if (red.needs_redaction(kDltRaw, frame)) red.redact(kDltRaw, frame);
    redacted.insert(redacted.end(), frame.begin() + 40, frame.end());
    seq += static_cast<std::uint32_t>(n);
    off += n;
  }
  const auto result = analyzer.finish();
  const auto ideal_result = ideal_analyzer.finish();

  routeros::Limits lim;
  lim.max_bytes_before_login = 0;
  routeros::Decoder dec(lim);
  dec.feed(redacted);
  std::vector<std::string> secrets,
      plain;  // plain: every other word (a user name may equal a secret)
  for (const auto& orig : sent)
    for (const auto& w : orig.words)
      if (!routeros::is_secret_attribute(w)) plain.push_back(w);
  // Every secret value long enough to be told apart, and in no plain word.
  for (const auto& orig : sent)
    for (const auto& w : orig.words) {
      const auto key = routeros::secret_attribute(w);
      if (key.empty()) continue;
      const std::string value = w.substr(key.size());
      bool elsewhere = false;
      for (const auto& p : plain) elsewhere = elsewhere || p.find(value) != std::string::npos;
      if (value.size() >= 6 && !elsewhere) secrets.push_back(value);
    }
  // Where a word's length prefix came in a segment of its own, the redactor
  // masks as far as the longest word (capture/redact.cpp): the framing may
  // be lost, never a secret. Then only the bytes can be checked.
  // Byte by byte: every secret byte (masked in the ideal, not a '*' already)
  // is masked in the redacted stream. Over-masking elsewhere is allowed: a
  // length prefix alone in its segment costs the framing, by design.
  if (redacted.size() != stream.size()) std::abort();
  for (std::size_t i = 0; i < stream.size(); ++i)
    if (ideal[i] == '*' && stream[i] != '*' && redacted[i] != '*') std::abort();  // a leak
  // A finding quotes a secret when the secret shows up more often in the
  // findings than in those of the ideal bytes (where it can only be chance:
  // a value may equal a piece of a finding's own text).
  auto quoted = [](const std::vector<capture::Finding>& fs, const std::string& v) {
    std::size_t n = 0;
    for (const auto& f : fs)
      for (const std::string* t : {&f.message, &f.user})
        for (auto at = t->find(v); at != std::string::npos; at = t->find(v, at + 1)) ++n;
    return n;
  };
  for (const auto& v : secrets)
    if (quoted(result.findings, v) > quoted(ideal_result.findings, v)) std::abort();
  for (const auto& orig : sent) {
    routeros::Sentence got;
    if (dec.next(got) != routeros::Decoder::State::kSentence) return 0;  // framing lost
    if (got.words.size() != orig.words.size()) return 0;
    for (std::size_t i = 0; i < orig.words.size(); ++i) {
      const std::string& w = orig.words[i];
      const auto key = routeros::secret_attribute(w);
      if (key.empty()) continue;
      const std::string& r = got.words[i];
      if (r.size() != w.size()) return 0;  // framing lost after all
      if (r.compare(0, key.size(), key) != 0) return 0;
      if (r.find_first_not_of('*', key.size()) != std::string::npos) std::abort();  // a leak
    }
  }
  return 0;
}
