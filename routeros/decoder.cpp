#include "routeros/decoder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "routeros/word.hpp"

namespace vantage::routeros {

Decoder::Decoder(Limits limits) : limits_(limits) {}

void Decoder::feed(std::span<const std::uint8_t> bytes) {
  if (failed_) return;  // nothing more will be parsed; do not buffer
  if (pos_ > 0) {
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  in_.insert(in_.end(), bytes.begin(), bytes.end());
}

std::size_t Decoder::buffered_bytes() const {
  std::size_t n = (in_.size() - pos_) + word_.size();
  for (const auto& w : words_) n += w.size();
  return n;
}

bool Decoder::at_boundary() const {
  return prefix_len_ == 0 && !in_body_ && words_.empty() && pos_ == in_.size();
}

Decoder::State Decoder::fail(std::string message) {
  failed_ = true;
  error_ = std::move(message);
  in_.clear();
  in_.shrink_to_fit();
  pos_ = 0;
  word_.clear();
  words_.clear();
  return State::kError;
}

Decoder::State Decoder::next(Sentence& out) {
  if (failed_) return State::kError;
  while (pos_ < in_.size()) {
    // Account before parsing, so a flood before login stops at the limit.
    const std::size_t avail = in_.size() - pos_;
    std::size_t take = 1;
    if (in_body_) take = std::min<std::size_t>(remaining_, avail);
    if (!logged_in_ && limits_.max_bytes_before_login != 0 &&
        consumed_ + take > limits_.max_bytes_before_login) {
      return fail(
          fmt::format("more than {} bytes received before login", limits_.max_bytes_before_login));
    }
    if (in_body_) {
      word_.append(reinterpret_cast<const char*>(in_.data() + pos_), take);
      pos_ += take;
      consumed_ += take;
      remaining_ -= static_cast<std::uint32_t>(take);
      if (remaining_ == 0) {
        words_.push_back(std::move(word_));
        word_.clear();
        in_body_ = false;
      }
      continue;
    }
    prefix_[prefix_len_++] = in_[pos_++];
    ++consumed_;
    auto d = decode_length(std::span<const std::uint8_t>(prefix_, prefix_len_));
    switch (d.status) {
      case DecodedLength::Status::kNeedMore: continue;
      case DecodedLength::Status::kReserved:
        return fail(fmt::format("reserved control byte {:#04x}", prefix_[0]));
      case DecodedLength::Status::kInvalid:
        return fail(fmt::format("invalid length prefix byte {:#04x}", prefix_[0]));
      case DecodedLength::Status::kOk: break;
    }
    prefix_len_ = 0;
    if (d.length == 0) {             // end of sentence
      if (words_.empty()) continue;  // empty sentences are ignored
      out.words = std::move(words_);
      words_.clear();
      sentence_bytes_ = 0;
      return State::kSentence;
    }
    if (limits_.max_word != 0 && d.length > limits_.max_word)
      return fail(fmt::format("word of {} bytes exceeds limit {}", d.length, limits_.max_word));
    if (limits_.max_words != 0 && words_.size() >= limits_.max_words)
      return fail(fmt::format("sentence of more than {} words exceeds limit", limits_.max_words));
    if (limits_.max_sentence_bytes != 0 &&
        sentence_bytes_ + d.length > limits_.max_sentence_bytes) {
      return fail(
          fmt::format("sentence of more than {} bytes exceeds limit", limits_.max_sentence_bytes));
    }
    sentence_bytes_ += d.length;
    remaining_ = d.length;
    in_body_ = true;
  }
  in_.clear();
  pos_ = 0;
  return State::kNeedMore;
}

}  // namespace vantage::routeros
