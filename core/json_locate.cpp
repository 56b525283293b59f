// Where a JSON path is in a document's text: JsonPath, locate() (one path, from
// the top) and JsonLocator (many paths, each container scanned once).
#include <algorithm>
#include <string>

#include "core/json_config.hpp"
#include "core/json_locator.hpp"
#include "core/json_scanner.hpp"

namespace vantage {

JsonPath JsonPath::operator/(std::string key) const {
  JsonPath p = *this;
  p.parts_.emplace_back(std::move(key));
  return p;
}

JsonPath JsonPath::operator/(std::size_t index) const {
  JsonPath p = *this;
  p.parts_.emplace_back(index);
  return p;
}

std::string JsonPath::str() const {
  std::string out;
  for (const auto& part : parts_) {
    if (const auto* key = std::get_if<std::string>(&part)) {
      if (!out.empty()) out += '.';
      out += *key;
    } else {
      out += '[' + std::to_string(std::get<std::size_t>(part)) + ']';
    }
  }
  return out.empty() ? "(top level)" : out;
}

std::pair<int, int> detail::line_col(std::string_view text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

std::pair<int, int> locate(std::string_view text, const JsonPath& path) {
  detail::JsonScanner s(text);
  s.skip_ws();
  std::size_t best = s.pos();
  for (const auto& part : path.parts()) {
    bool found = false;
    if (const auto* key = std::get_if<std::string>(&part)) {
      if (!s.peek('{')) break;
      s.advance();
      while (!s.peek('}') && s.pos() < text.size()) {
        s.skip_ws();
        std::size_t key_pos = s.pos();
        std::string k = s.read_string();
        if (k.empty() && text.substr(key_pos, 2) != "\"\"") break;  // malformed: stop
        if (s.peek(':')) s.advance();
        if (k == *key) {
          best = key_pos;
          found = true;
          break;
        }
        s.skip_value();
        if (s.peek(',')) s.advance();
      }
    } else {
      std::size_t want = std::get<std::size_t>(part);
      if (!s.peek('[')) break;
      s.advance();
      // Each turn consumes text (skip_value always moves); a list cut short
      // points at the end of the text, however far the index.
      for (std::size_t idx = 0; !s.peek(']'); ++idx) {
        s.skip_ws();
        if (idx == want || s.pos() >= text.size()) {
          best = s.pos();
          found = true;
          break;
        }
        s.skip_value();
        if (s.peek(',')) s.advance();
      }
    }
    if (!found) break;
    s.skip_ws();
  }
  return detail::line_col(text, best);
}

const JsonLocator::Container& JsonLocator::container(std::string_view text, std::size_t bracket) {
  auto [it, fresh] = containers_.try_emplace(bracket);
  Container& c = it->second;
  if (!fresh) return c;
  // The same steps as locate()'s loops, recording every member on the way.
  detail::JsonScanner s(text);
  s.seek(bracket);
  c.object = text[bracket] == '{';
  s.advance();
  if (c.object) {
    while (!s.peek('}') && s.pos() < text.size()) {
      s.skip_ws();
      const std::size_t key_pos = s.pos();
      std::string k = s.read_string();
      if (k.empty() && text.substr(key_pos, 2) != "\"\"") break;  // malformed: stop
      if (s.peek(':')) s.advance();
      c.first.try_emplace(std::move(k), c.key_at.size());
      c.key_at.push_back(key_pos);
      c.value_at.push_back(s.pos());
      s.skip_value();
      if (s.peek(',')) s.advance();
    }
  } else {
    while (!s.peek(']')) {
      s.skip_ws();
      if (s.pos() >= text.size()) {
        c.cut_short = true;
        c.end = s.pos();
        break;
      }
      c.element_at.push_back(s.pos());
      s.skip_value();
      if (s.peek(',')) s.advance();
    }
  }
  return c;
}

std::pair<int, int> JsonLocator::line_col(std::string_view text, std::size_t offset) {
  if (!lines_ready_) {
    for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
      newlines_.push_back(i);
    lines_ready_ = true;
  }
  offset = std::min(offset, text.size());
  const auto before = static_cast<std::size_t>(
      std::lower_bound(newlines_.begin(), newlines_.end(), offset) - newlines_.begin());
  const std::size_t line_start = before == 0 ? 0 : newlines_[before - 1] + 1;
  return {static_cast<int>(before + 1), static_cast<int>(offset - line_start + 1)};
}

std::pair<int, int> JsonLocator::locate(std::string_view text, const JsonPath& path) {
  std::lock_guard lock(mu_);
  detail::JsonScanner s(text);
  s.skip_ws();
  std::size_t best = s.pos();
  for (const auto& part : path.parts()) {
    const bool want_object = std::holds_alternative<std::string>(part);
    if (!s.peek(want_object ? '{' : '[')) break;
    const Container& c = container(text, s.pos());
    std::size_t next = 0;
    if (const auto* key = std::get_if<std::string>(&part)) {
      const auto m = c.first.find(*key);
      if (m == c.first.end()) break;
      best = c.key_at[m->second];
      next = c.value_at[m->second];
    } else {
      const std::size_t want = std::get<std::size_t>(part);
      if (want < c.element_at.size()) {
        next = best = c.element_at[want];
      } else if (c.cut_short) {
        next = best = c.end;  // a list cut short points at the end of the text
      } else {
        break;
      }
    }
    s.seek(next);
  }
  return line_col(text, best);
}

}  // namespace vantage
