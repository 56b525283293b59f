#pragma once
// Decimal numbers read from text a peer or a file controls (a router's
// menus, a lab or policy file): bounded, so "77777777777777777777" is refused
// or saturated, never a signed overflow (undefined behaviour; found by
// fuzzing, config_lab) or a value atoi() wrapped into something plausible.
#include <optional>
#include <string_view>

namespace vantage {

// Appends the digit `c` ('0'..'9') to `n`; false, `n` unchanged, when the
// result would pass `max`.
constexpr bool push_digit(long& n, char c, long max) {
  const long d = c - '0';
  if (d < 0 || d > 9 || n > (max - d) / 10) return false;
  n = n * 10 + d;
  return true;
}

// All of `s` as a decimal in [0, max]; nullopt for anything else (empty, a
// sign, a space, another character, more than `max`).
constexpr std::optional<long> parse_decimal(std::string_view s, long max) {
  if (s.empty()) return std::nullopt;
  long n = 0;
  for (char c : s)
    if (!push_digit(n, c, max)) return std::nullopt;
  return n;
}

}  // namespace vantage
