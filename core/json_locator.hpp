#pragma once
// Locating many paths in one document. locate() scans from the top for every
// path, so a scenario with N checks (each check and each error is located)
// cost N times the document: 5000 checks took 20 s. A JsonLocator scans each
// container on a looked-up path once, remembers where its members are, and
// finds lines by binary search: the whole document's paths cost about one
// pass. It answers exactly what locate() answers (fuzz/json_locate checks).
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/json_config.hpp"

namespace vantage {

class JsonLocator {
 public:
  // `text` must be the same text at every call.
  std::pair<int, int> locate(std::string_view text, const JsonPath& path);

 private:
  // The members of the object or list whose bracket is at some offset.
  struct Container {
    bool object = false;
    std::vector<std::size_t> key_at, value_at;           // objects: each member, in order
    std::unordered_map<std::string, std::size_t> first;  // objects: key -> first member
    std::vector<std::size_t> element_at;                 // lists
    bool cut_short = false;                              // lists: the text ended inside, at `end`
    std::size_t end = 0;
  };
  const Container& container(std::string_view text, std::size_t bracket);
  std::pair<int, int> line_col(std::string_view text, std::size_t offset);

  std::mutex mu_;
  std::unordered_map<std::size_t, Container> containers_;
  std::vector<std::size_t> newlines_;
  bool lines_ready_ = false;
};

}  // namespace vantage
