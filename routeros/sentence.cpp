#include "routeros/sentence.hpp"

#include "routeros/word.hpp"

namespace vantage::routeros {

namespace {
const std::string kEmpty;
}

const std::string& Sentence::command() const {
  return words.empty() ? kEmpty : words.front();
}

std::optional<std::pair<std::string, std::string>> split_attr(std::string_view word) {
  if (word.empty() || word[0] != '=') return std::nullopt;
  word.remove_prefix(1);
  auto eq = word.find('=');
  if (eq == std::string_view::npos) return std::make_pair(std::string(word), std::string());
  return std::make_pair(std::string(word.substr(0, eq)), std::string(word.substr(eq + 1)));
}

std::optional<std::string> Sentence::attr(std::string_view name) const {
  for (std::size_t i = 1; i < words.size(); ++i) {
    auto kv = split_attr(words[i]);
    if (kv && kv->first == name) return kv->second;
  }
  return std::nullopt;
}

std::optional<std::string> Sentence::tag() const {
  constexpr std::string_view kTag = ".tag=";
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (std::string_view(words[i]).substr(0, kTag.size()) == kTag)
      return words[i].substr(kTag.size());
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Sentence::attrs() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (auto kv = split_attr(words[i])) out.push_back(std::move(*kv));
  }
  return out;
}

std::vector<std::string> Sentence::queries() const {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (!words[i].empty() && words[i][0] == '?') out.push_back(words[i]);
  }
  return out;
}

std::vector<std::uint8_t> Sentence::encode() const {
  std::vector<std::uint8_t> out;
  for (const auto& w : words) append_word(out, w);
  out.push_back(0);
  return out;
}

Sentence& Sentence::add(std::string word) {
  words.push_back(std::move(word));
  return *this;
}

Sentence& Sentence::add_attr(std::string_view name, std::string_view value) {
  std::string w;
  w.reserve(name.size() + value.size() + 2);
  w += '=';
  w += name;
  w += '=';
  w += value;
  return add(std::move(w));
}

Sentence& Sentence::add_tag(std::string_view tag) {
  return add(".tag=" + std::string(tag));
}

}  // namespace vantage::routeros
