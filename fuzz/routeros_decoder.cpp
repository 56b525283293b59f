// The RouterOS API word and sentence decoder on a hostile byte stream, fed in
// fuzzer-chosen pieces with fuzzer-chosen limits. Checks the decoder's own
// promises: every sentence is non-empty and within the limits, errors are
// sticky, and the buffer never holds more than it was given.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "routeros/decoder.hpp"
#include "routeros/word.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  routeros::Limits lim;
  const std::uint8_t shape = in.byte();
  if (shape & 1) lim.max_word = 1 + in.byte() * 64u;
  if (shape & 2) lim.max_words = 1 + in.byte();
  lim.max_bytes_before_login = (shape & 4) ? 0 : 256 + in.byte() * 64u;
  if (shape & 8) lim.max_sentence_bytes = 1 + in.byte() * 256u;
  routeros::Decoder dec(lim);
  dec.set_logged_in((shape & 16) != 0);

  std::size_t fed = 0;
  bool failed = false;
  while (!in.empty()) {
    auto piece = in.take(1 + in.byte());
    dec.feed(piece);
    fed += piece.size();
    routeros::Sentence s;
    for (;;) {
      const auto st = dec.next(s);
      if (st == routeros::Decoder::State::kNeedMore) break;
      if (st == routeros::Decoder::State::kError) {
        if (dec.error().empty()) std::abort();
        failed = true;
        break;
      }
      if (failed || s.words.empty()) std::abort();  // errors are sticky; no empty sentences
      if (lim.max_words && s.words.size() > lim.max_words) std::abort();
      for (const auto& w : s.words)
        if (lim.max_word && w.size() > lim.max_word) std::abort();
    }
    if (dec.bytes_consumed() > fed) std::abort();
    if (failed) break;
  }
  // decode_length on the raw front of the input, against the encoder.
  const auto d = routeros::decode_length({data, size});
  if (d.status == routeros::DecodedLength::Status::kOk) {
    const auto enc = routeros::encode_length(d.length);
    if (enc.size() > d.prefix_bytes) std::abort();  // the shortest form is never longer
  }
  return 0;
}
