#pragma once
// The RouterOS API sentence model: a command or reply word, then attribute
// words "=name=value" (value may be empty or contain '='), API attributes
// ".tag=x" and query words "?...". Encoding is the words plus an empty word.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vantage::routeros {

struct Sentence {
  std::vector<std::string> words;  // raw words, first is command/reply

  Sentence() = default;
  Sentence(std::initializer_list<std::string> w) : words(w) {}

  const std::string& command() const;  // first word or empty
  // Value of the first "=name=value" word; nullopt when absent.
  std::optional<std::string> attr(std::string_view name) const;
  std::optional<std::string> tag() const;                          // ".tag=x"
  std::vector<std::pair<std::string, std::string>> attrs() const;  // in order
  std::vector<std::string> queries() const;                        // "?..." words
  std::vector<std::uint8_t> encode() const;                        // words + terminating 0

  // Builders, for readable replies and requests.
  Sentence& add(std::string word);
  Sentence& add_attr(std::string_view name, std::string_view value);
  Sentence& add_tag(std::string_view tag);
};

// Splits an attribute word "=name=value" into name and value; nullopt when
// the word does not start with '='. "=name" (no second '=') has an empty value.
std::optional<std::pair<std::string, std::string>> split_attr(std::string_view word);

}  // namespace vantage::routeros
