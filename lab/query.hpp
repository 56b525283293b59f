#pragma once
// RouterOS print queries: a little stack machine over one row.
//
//   ?name=x / ?=name=x   push (row[name] == x)
//   ?<name=x  ?>name=x   push (row[name] < x), (row[name] > x); numbers compare as numbers
//   ?name                push (row has name)
//   ?-name               push (row lacks name)
//   ?#ops                each op char: '!' negate top, '&' and '|' pop two and push the
//                        result, '.' push a copy of the top, a digit n pushes a copy of
//                        the n-th value from the bottom
// A row matches when every value left on the stack is true (an empty query matches all).
#include <string>
#include <utility>
#include <vector>

namespace vantage::lab {

using Row = std::vector<std::pair<std::string, std::string>>;

bool query_matches(const std::vector<std::string>& query_words, const Row& row);

}  // namespace vantage::lab
