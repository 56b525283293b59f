#pragma once
// Helpers shared by every JSON config reader (scenarios, lab configs, TLS
// policies): parse with comments, locate a JSON path back to line:column, and
// collect every problem before failing.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace vantage {

using json = nlohmann::json;

// A path into a JSON document, printed as checks[2].expect.accept.
class JsonPath {
 public:
  using Part = std::variant<std::string, std::size_t>;
  JsonPath() = default;
  JsonPath operator/(std::string key) const;
  JsonPath operator/(std::size_t index) const;
  const std::vector<Part>& parts() const { return parts_; }
  std::string str() const;

 private:
  std::vector<Part> parts_;
};

// Line and column (1-based) of the member key or array element at `path`
// in `text`, a JSON document that may contain comments. Returns the closest
// enclosing position found when the path does not exist.
std::pair<int, int> locate(std::string_view text, const JsonPath& path);

// The closest candidate by edit distance, when it is close enough to be a
// plausible typo.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates);

// Nesting deeper than this is refused at parse time: a scenario needs about
// six levels, and every reader after the parser (the locator, vars
// substitution, dump()) recurses, so depth is what would exhaust the stack.
inline constexpr int kMaxJsonDepth = 64;

// The offset of the first '[' or '{' nested deeper than `max_depth` in JSON
// `text` (comments allowed), or nullopt. For untrusted JSON from the network
// too (a REST body), before json::parse.
std::optional<std::size_t> json_too_deep(std::string_view text, int max_depth = kMaxJsonDepth);

class JsonLocator;

// A parsed document plus everything needed to report errors against it.
class ConfigDoc {
 public:
  // Throws ConfigError (file:line:column) on a syntax error or nesting
  // deeper than kMaxJsonDepth.
  static ConfigDoc parse(std::string file, std::string text);
  // Reads the file (a regular file of at most kMaxConfigFileBytes), then parse.
  static ConfigDoc load(const std::string& file);

  const json& root() const { return root_; }
  const std::string& file() const { return file_; }
  Diagnostic diagnostic(const JsonPath& path, std::string message) const;

 private:
  std::string file_;
  std::string text_;
  json root_;
  std::shared_ptr<JsonLocator> locator_;  // copies share it: their text is the same
};

// Collects problems; throw_if_any() raises one ConfigError holding all.
class Diagnostics {
 public:
  explicit Diagnostics(const ConfigDoc& doc) : doc_(&doc) {}
  void error(const JsonPath& path, std::string message);
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  const std::vector<Diagnostic>& list() const { return list_; }
  void throw_if_any() const;
  const ConfigDoc& doc() const { return *doc_; }

 private:
  const ConfigDoc* doc_;
  std::vector<Diagnostic> list_;
};

// Reports every key of `obj` not in `allowed`, with a "did you mean".
// Returns false when `obj` is not an object (and reports that).
bool check_keys(const json& obj, const JsonPath& path, const std::vector<std::string>& allowed,
                Diagnostics& diags);

// Typed getters that report a located error and return nullopt on a wrong type.
std::optional<std::string> get_string(const json& obj, const JsonPath& path, const char* key,
                                      Diagnostics& diags, bool required = false);
std::optional<std::int64_t> get_int(const json& obj, const JsonPath& path, const char* key,
                                    Diagnostics& diags, std::int64_t min, std::int64_t max,
                                    bool required = false);
std::optional<bool> get_bool(const json& obj, const JsonPath& path, const char* key,
                             Diagnostics& diags);
// A string or a list of strings, as a list.
std::optional<std::vector<std::string>> get_string_list(const json& obj, const JsonPath& path,
                                                        const char* key, Diagnostics& diags,
                                                        bool required = false);
std::string type_name(const json& v);

}  // namespace vantage
