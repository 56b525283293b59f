// Round trip of the RouterOS codec: fuzzer-chosen words (any bytes, any
// length up to a few KiB, so every prefix form up to 3 bytes is used) are
// encoded as sentences, the stream is cut at fuzzer-chosen points, and the
// decoder must give back exactly the same sentences.
#include <cstdlib>
#include <vector>

#include "fuzz_support.hpp"
#include "routeros/decoder.hpp"
#include "routeros/sentence.hpp"
#include "routeros/word.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::vector<routeros::Sentence> sent;
  std::vector<std::uint8_t> stream;
  while (!in.empty() && sent.size() < 16) {
    routeros::Sentence s;
    const std::size_t words = 1 + in.byte() % 8;
    for (std::size_t i = 0; i < words && !in.empty(); ++i) {
      std::size_t len = in.byte();
      if (len >= 0xF0) len = (len - 0xF0) * 300 + in.byte();  // up to ~4.8 KiB: 2-byte prefixes
      std::string w = fuzz::as_string(in.take(len));
      if (w.empty()) w = "x";  // an empty word ends a sentence: not a word
      s.words.push_back(std::move(w));
    }
    if (s.words.empty()) break;  // an empty sentence is no sentence: the decoder skips it
    const auto bytes = s.encode();
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    sent.push_back(std::move(s));
  }
  // Every length form encodes and decodes to itself.
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < 4 && i < size; ++i) n = n << 8 | data[i];
  const auto enc = routeros::encode_length(n);
  const auto dec_len = routeros::decode_length(enc);
  if (dec_len.status != routeros::DecodedLength::Status::kOk || dec_len.length != n ||
      dec_len.prefix_bytes != enc.size())
    std::abort();

  routeros::Limits lim;
  lim.max_bytes_before_login = 0;
  routeros::Decoder dec(lim);
  std::vector<routeros::Sentence> got;
  std::size_t off = 0, cut = 1;
  while (off < stream.size()) {
    const std::size_t n2 = std::min(cut, stream.size() - off);
    dec.feed({stream.data() + off, n2});
    off += n2;
    cut = cut * 3 % 997 + 1;
    routeros::Sentence s;
    routeros::Decoder::State st;
    while ((st = dec.next(s)) == routeros::Decoder::State::kSentence) got.push_back(s);
    if (st == routeros::Decoder::State::kError) std::abort();
  }
  if (!dec.at_boundary() || got.size() != sent.size()) std::abort();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].words != sent[i].words) std::abort();
  return 0;
}
