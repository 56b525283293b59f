#include "core/plural.hpp"

#include <array>

namespace vantage {
namespace {

std::string plural_word(std::string_view w) {
  std::string out(w);
  if (w.empty()) return out;
  auto ends = [&](std::string_view s) {
    return w.size() >= s.size() && w.substr(w.size() - s.size()) == s;
  };
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return out + "es";
  if (w.size() >= 2 && w.back() == 'y' &&
      std::string_view("aeiou").find(w[w.size() - 2]) == std::string_view::npos) {
    out.pop_back();
    return out + "ies";
  }
  return out + "s";
}

}  // namespace

std::string plural(std::string_view noun) {
  static constexpr std::array<std::string_view, 10> kPrepositions = {
      " of ", " without ", " with ", " from ", " in ", " on ", " for ", " to ", " at ", " by "};
  std::size_t head_end = noun.size();
  for (auto p : kPrepositions)
    if (auto at = noun.find(p); at != std::string_view::npos && at < head_end) head_end = at;
  const auto space = noun.substr(0, head_end).rfind(' ');
  const std::size_t head_start = space == std::string_view::npos ? 0 : space + 1;
  return std::string(noun.substr(0, head_start)) +
         plural_word(noun.substr(head_start, head_end - head_start)) +
         std::string(noun.substr(head_end));
}

std::string counted(std::size_t n, std::string_view noun, std::string_view many) {
  if (n == 1) return "1 " + std::string(noun);
  return std::to_string(n) + " " + (many.empty() ? plural(noun) : std::string(many));
}

}  // namespace vantage
