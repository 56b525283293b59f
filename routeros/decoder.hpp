#pragma once
// Incremental RouterOS API sentence decoder (framing in routeros/word.hpp).
//
// Feed any split of the byte stream, then call next() until it returns
// kNeedMore. The decoder never allocates from a length the peer announced:
// a word grows only as its bytes arrive, and every announced length is
// checked against Limits before a single body byte is accepted. Errors are
// sticky: after kError the stream cannot be resynchronised.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "routeros/sentence.hpp"

namespace vantage::routeros {

struct Limits {                                    // 0 = unlimited, for every field
  std::size_t max_word = 64 * 1024;                // bytes in one word
  std::size_t max_words = 1024;                    // words in one sentence
  std::size_t max_bytes_before_login = 16 * 1024;  // stream bytes until set_logged_in(true)
  std::size_t max_sentence_bytes = 1024 * 1024;    // sum of word sizes in one sentence
};

class Decoder {
 public:
  enum class State { kNeedMore, kSentence, kError };

  explicit Decoder(Limits limits = {});

  // Buffers `bytes`; parsing happens in next(). Call next() until kNeedMore
  // after each feed so the buffer holds at most one read's worth.
  void feed(std::span<const std::uint8_t> bytes);
  // kSentence: `out` holds the next non-empty sentence. kNeedMore: all
  // buffered bytes consumed. kError: see error(); stays in error.
  State next(Sentence& out);

  const std::string& error() const { return error_; }
  void set_logged_in(bool logged_in) { logged_in_ = logged_in; }
  std::uint64_t bytes_consumed() const { return consumed_; }
  // Bytes fed but not consumed yet plus the partial word/sentence held.
  std::size_t buffered_bytes() const;
  // True when no partial word or sentence is pending (a clean stream end).
  bool at_boundary() const;

 private:
  State fail(std::string message);

  Limits limits_;
  std::vector<std::uint8_t> in_;
  std::size_t pos_ = 0;
  std::uint8_t prefix_[5] = {};
  std::size_t prefix_len_ = 0;
  bool in_body_ = false;
  std::uint32_t remaining_ = 0;
  std::string word_;
  std::vector<std::string> words_;
  std::size_t sentence_bytes_ = 0;
  bool logged_in_ = false;
  std::uint64_t consumed_ = 0;
  bool failed_ = false;
  std::string error_;
};

}  // namespace vantage::routeros
