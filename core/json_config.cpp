#include "core/json_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "core/json_locator.hpp"
#include "core/json_scanner.hpp"
#include "core/small_file.hpp"

namespace vantage {

ConfigDoc ConfigDoc::parse(std::string file, std::string text) {
  ConfigDoc doc;
  doc.file_ = std::move(file);
  doc.text_ = std::move(text);
  doc.locator_ = std::make_shared<JsonLocator>();
  if (auto at = json_too_deep(doc.text_)) {
    auto [line, col] = detail::line_col(doc.text_, *at);
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
    auto [line, col] = detail::line_col(doc.text_, pos);
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
    auto [line, col] = detail::line_col(doc.text_, pos);
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
  auto [line, col] = locator_ ? locator_->locate(text_, path) : locate(text_, path);
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
