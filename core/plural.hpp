#pragma once
// Counts in words: "1 finding", "2 findings", "3 suites without forward
// secrecy". The one place a count meets a noun, so no report says
// "1 forbidden suites" or "finding(s)".
#include <cstddef>
#include <string>
#include <string_view>

namespace vantage {

// The plural of an English noun phrase: its head noun made plural, which is
// the word before the first preposition ("suite without forward secrecy" ->
// "suites without forward secrecy", "connection from outside" -> "connections
// from outside"), else the last word ("forbidden suite" -> "forbidden
// suites"). The word: +es after s, x, z, ch, sh; consonant + y -> ies; else +s.
std::string plural(std::string_view noun);

// "1 noun", "0 nouns", "2 nouns"; `many` overrides the plural form.
std::string counted(std::size_t n, std::string_view noun, std::string_view many = {});

}  // namespace vantage
