#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "core/json_config.hpp"
#include "core/small_file.hpp"

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

namespace {

// A forgiving scanner over JSON-with-comments. It only needs to find
// positions in text that nlohmann::json already accepted.
class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t) {}

  std::size_t pos() const { return i_; }

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

  void skip_value() {
    skip_ws();
    if (i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '"') {
      read_string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      while (!peek(close) && i_ < t_.size()) {
        const std::size_t before = i_;
        if (c == '{') {
          read_string();
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

std::pair<int, int> line_col(std::string_view text, std::size_t offset) {
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

}  // namespace

std::pair<int, int> locate(std::string_view text, const JsonPath& path) {
  Scanner s(text);
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
  return line_col(text, best);
}

ConfigDoc ConfigDoc::parse(std::string file, std::string text) {
  ConfigDoc doc;
  doc.file_ = std::move(file);
  doc.text_ = std::move(text);
  if (auto at = json_too_deep(doc.text_)) {
    auto [line, col] = line_col(doc.text_, *at);
    throw ConfigError({Diagnostic{
        doc.file_, line, col, "",
        "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
            " levels: a scenario, vars, policy or lab file needs only a few; look for an "
            "unclosed '[' or '{' or a generated file"}});
  }
  try {
    doc.root_ = json::parse(doc.text_, nullptr, /*allow_exceptions=*/true,
                            /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points at the last character of the offending
    // token; point at its first character instead, where a person looks.
    std::size_t pos = e.byte > 0 ? std::min(e.byte - 1, doc.text_.size()) : 0;
    if (pos < doc.text_.size() && doc.text_[pos] == '"' && pos > 0) {
      auto open = doc.text_.rfind('"', pos - 1);
      if (open != std::string::npos) pos = open;
    } else {
      while (pos > 0 && std::isalnum(static_cast<unsigned char>(doc.text_[pos - 1]))) --pos;
    }
    auto [line, col] = line_col(doc.text_, pos);
    std::string msg = e.what();
    auto cut = msg.find("syntax error");
    if (cut != std::string::npos) msg = msg.substr(cut);
    throw ConfigError({Diagnostic{doc.file_, line, col, "", "JSON " + msg}});
  } catch (const json::out_of_range& e) {
    // A number beyond a double ("1e999"): nlohmann names the token, not its
    // offset; the token's first occurrence is where a person looks.
    const std::string msg = e.what();
    const auto open = msg.find('\'');
    const auto close = open == std::string::npos ? open : msg.find('\'', open + 1);
    std::size_t pos = 0;
    std::string token;
    if (close != std::string::npos) {
      token = msg.substr(open + 1, close - open - 1);
      pos = std::min(doc.text_.find(token), doc.text_.size());
    }
    auto [line, col] = line_col(doc.text_, pos);
    throw ConfigError({Diagnostic{
        doc.file_, line, col, "",
        "JSON number " + (token.empty() ? std::string("out of range") : token) +
            " is beyond what a double holds (about 1.8e308): write the value within range"}});
  }
  return doc;
}

ConfigDoc ConfigDoc::load(const std::string& file) {
  std::string why;
  auto text = read_small_file(file, kMaxConfigFileBytes, why);
  if (!text) throw ConfigError({Diagnostic{file, 0, 0, "", why}});
  return parse(file, std::move(*text));
}

Diagnostic ConfigDoc::diagnostic(const JsonPath& path, std::string message) const {
  auto [line, col] = locate(text_, path);
  return Diagnostic{file_, line, col, path.str(), std::move(message)};
}

void Diagnostics::error(const JsonPath& path, std::string message) {
  list_.push_back(doc_->diagnostic(path, std::move(message)));
}

void Diagnostics::throw_if_any() const {
  if (!list_.empty()) throw ConfigError(list_);
}

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    case json::value_t::number_float: return "a decimal number";
    default: return "a number";
  }
}

bool check_keys(const json& obj, const JsonPath& path, const std::vector<std::string>& allowed,
                Diagnostics& diags) {
  if (!obj.is_object()) {
    diags.error(path, "expected an object, found " + type_name(obj));
    return false;
  }
  for (const auto& [key, value] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string msg = "unknown key \"" + key + "\"";
    if (auto s = did_you_mean(key, allowed)) {
      msg += "; did you mean \"" + *s + "\"?";
    } else {
      msg += "; valid keys here are:";
      for (const auto& a : allowed) msg += " " + a;
    }
    diags.error(path / key, msg);
  }
  return true;
}

std::optional<std::string> get_string(const json& obj, const JsonPath& path, const char* key,
                                      Diagnostics& diags, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required)
      diags.error(path / key, std::string("missing required key \"") + key + "\" (a string)");
    return std::nullopt;
  }
  if (!it->is_string()) {
    diags.error(path / key, "expected a string, found " + type_name(*it));
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::int64_t> get_int(const json& obj, const JsonPath& path, const char* key,
                                    Diagnostics& diags, std::int64_t min, std::int64_t max,
                                    bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) {
      diags.error(path / key, std::string("missing required key \"") + key + "\" (an integer " +
                                  std::to_string(min) + "-" + std::to_string(max) + ")");
    }
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    diags.error(path / key, "expected an integer " + std::to_string(min) + "-" +
                                std::to_string(max) + ", found " + type_name(*it));
    return std::nullopt;
  }
  auto v = it->get<std::int64_t>();
  const bool huge =
      it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
  if (huge || v < min || v > max) {
    diags.error(path / key, it->dump() + " is out of range; expected " + std::to_string(min) + "-" +
                                std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> get_bool(const json& obj, const JsonPath& path, const char* key,
                             Diagnostics& diags) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_boolean()) {
    diags.error(path / key, "expected true or false, found " + type_name(*it));
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<std::vector<std::string>> get_string_list(const json& obj, const JsonPath& path,
                                                        const char* key, Diagnostics& diags,
                                                        bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) diags.error(path / key, std::string("missing required key \"") + key + "\"");
    return std::nullopt;
  }
  if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
  if (!it->is_array()) {
    diags.error(path / key, "expected a string or a list of strings, found " + type_name(*it));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      diags.error(path / key / i, "expected a string, found " + type_name((*it)[i]));
      ok = false;
    } else {
      out.push_back((*it)[i].get<std::string>());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace vantage
