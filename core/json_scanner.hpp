#pragma once
// A forgiving scanner over JSON-with-comments, shared by locate() and
// JsonLocator (core/json_locate.cpp). Internal to vantage_core.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace vantage::detail {

// It only needs to find positions in text that nlohmann::json already
// accepted, and must never spin or run past the end on text it did not.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view t) : t_(t) {}

  std::size_t pos() const { return i_; }
  void seek(std::size_t at) { i_ = at < t_.size() ? at : t_.size(); }

  void skip_ws() {
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '/') {
        while (i_ < t_.size() && t_[i_] != '\n') ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '*') {
        auto end = t_.find("*/", i_ + 2);
        i_ = end == std::string_view::npos ? t_.size() : end + 2;
      } else {
        break;
      }
    }
  }

  bool peek(char c) {
    skip_ws();
    return i_ < t_.size() && t_[i_] == c;
  }
  // Never past the end: an unterminated string or list in a hostile file
  // would otherwise leave pos() beyond the text (found by fuzz/json_locate).
  void advance() {
    if (i_ < t_.size()) ++i_;
  }

  std::string read_string() {
    std::string out;
    if (i_ >= t_.size() || t_[i_] != '"') return out;
    ++i_;
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) {
        out += t_[i_ + 1];  // good enough for matching keys
        i_ += 2;
      } else {
        out += t_[i_++];
      }
    }
    advance();  // the closing quote, when there is one
    return out;
  }

  // read_string() without building the string: skipping a value costs no
  // allocation.
  void skip_string() {
    if (i_ >= t_.size() || t_[i_] != '"') return;
    ++i_;
    while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' && i_ + 1 < t_.size() ? 2 : 1;
    advance();
  }

  void skip_value() {
    skip_ws();
    if (i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '"') {
      skip_string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      while (!peek(close) && i_ < t_.size()) {
        const std::size_t before = i_;
        if (c == '{') {
          skip_string();
          if (peek(':')) advance();
        }
        skip_value();
        if (peek(',')) advance();
        if (i_ == before) advance();  // a stray bracket: step over it, never spin
      }
      advance();  // the closing bracket, when there is one
    } else {
      const std::size_t start = i_;
      while (i_ < t_.size() &&
             std::string_view(",}] \t\r\n/").find(t_[i_]) == std::string_view::npos)
        ++i_;
      if (i_ == start) advance();  // a lone delimiter is no value: step over it
    }
  }

 private:
  std::string_view t_;
  std::size_t i_ = 0;
};

// Line and column (1-based) of `offset` in `text`, counting bytes.
std::pair<int, int> line_col(std::string_view text, std::size_t offset);

}  // namespace vantage::detail
