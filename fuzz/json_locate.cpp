// The JSON locator (core/json_locate.cpp) and the depth pre-check, which both
// read raw text with comments before or instead of nlohmann's parser. The
// input is a path (a few keys and indices) then the text; the position found
// must lie inside the text, JsonLocator (which remembers containers) must
// answer what locate() answers for the path and each of its prefixes, and the
// pre-check must agree with the parser on what is too deep.
#include <cstdlib>

#include "core/error.hpp"
#include "core/json_config.hpp"
#include "core/json_locator.hpp"
#include "fuzz_support.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  JsonPath path;
  const std::size_t parts = in.byte() % 6;
  for (std::size_t i = 0; i < parts; ++i) {
    const std::uint8_t b = in.byte();
    if (b & 0x80)
      path = path / std::size_t{b & 0x7Fu};
    else
      path = path / fuzz::as_string(in.take(b % 12));
  }
  const std::string text = fuzz::as_string(in.rest());
  const auto [line, col] = locate(text, path);
  if (line < 1 || col < 1) std::abort();
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (static_cast<std::size_t>(line) > lines) std::abort();
  (void)path.str();
  JsonLocator many;  // the whole path first, then its prefixes from the cache
  if (many.locate(text, path) != std::pair{line, col}) std::abort();
  JsonPath prefix;
  for (const auto& part : path.parts()) {
    prefix = std::holds_alternative<std::string>(part) ? prefix / std::get<std::string>(part)
                                                       : prefix / std::get<std::size_t>(part);
    if (many.locate(text, prefix) != locate(text, prefix)) std::abort();
  }

  const auto deep = json_too_deep(text);
  if (deep && *deep >= text.size()) std::abort();
  try {
    (void)ConfigDoc::parse("fuzz.json", text);
    if (deep) std::abort();  // the pre-check's refusal is the parser's too
  } catch (const ConfigError&) {
  }
  return 0;
}
