#include "fleet/inventory.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>

#include "core/small_file.hpp"
#include "core/text.hpp"

namespace vantage::fleet {

std::string Location::str() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
  return out;
}

Diagnostic problem(const Location& at, std::string message) {
  Diagnostic d;
  d.file = at.file;
  d.line = at.line;
  d.column = at.line > 0 ? std::max(at.column, 1) : 0;
  d.message = std::move(message);
  return d;
}

namespace {

std::string lower_ext(const std::string& file) {
  std::string ext = std::filesystem::path(file).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// A name goes into every report format and a JUnit classname: printable,
// no whitespace, no control bytes.
bool printable_name(const std::string& s) {
  return !s.empty() &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

// Every name, host and variable ends up in JSON and XML reports, which must
// be UTF-8: a file in another encoding is refused at its first bad line
// (found by fuzzing: such a value threw from the JSON writer).
void require_utf8(const std::string& file, std::string_view text) {
  if (is_utf8(text)) return;
  int line = 1;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view l = text.substr(start, end - start);
    if (!is_utf8(l)) {
      const auto bad = std::find_if(l.begin(), l.end(), [](char c) { return (c & 0x80) != 0; });
      const int column = static_cast<int>(bad - l.begin()) + 1;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*bad));
      throw ConfigError(
          {problem({file, line, column}, std::string("the inventory is not UTF-8 here (byte ") +
                                             hex + "); save the file as UTF-8")});
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  throw ConfigError({problem({file, 0, 0}, "the inventory is not UTF-8; save the file as UTF-8")});
}

}  // namespace

Inventory parse_inventory(const std::string& file, const std::string& raw) {
  // A spreadsheet's "CSV UTF-8" starts with a byte order mark; it is not
  // part of the first column's name.
  const std::string text = raw.rfind("\xEF\xBB\xBF", 0) == 0 ? raw.substr(3) : raw;
  require_utf8(file, text);
  const std::string ext = lower_ext(file);
  if (ext == ".csv") return parse_csv_inventory(file, text);
  if (ext == ".json") return parse_json_inventory(file, text);
  if (ext == ".yml" || ext == ".yaml") return parse_yaml_inventory(file, text);
  return parse_ini_inventory(file, text);
}

Inventory load_inventory(const std::string& path) {
  std::string why;
  auto text = read_small_file(path, kMaxConfigFileBytes, why);
  if (!text) throw ConfigError({problem({path, 0, 0}, "cannot read the inventory: " + why)});
  return parse_inventory(path, *text);
}

void finish_inventory(Inventory& inv, std::vector<Diagnostic> problems) {
  std::map<std::string, const InventoryTarget*> seen;
  for (const auto& t : inv.targets) {
    if (!printable_name(t.name)) {
      problems.push_back(problem(t.at, "target name \"" + t.name +
                                           "\" is empty or has spaces or control characters; "
                                           "write a name such as core-rtr-1"));
      continue;
    }
    if (t.host.empty() || !printable_name(t.host))
      problems.push_back(problem(t.at, "target " + t.name +
                                           " has no usable host; give it an IP address or a "
                                           "DNS name without spaces"));
    // The file was UTF-8 (require_utf8), but a parser can still make bytes
    // that are not (found by fuzzing: yaml-cpp, after a NUL in a key); they
    // would throw from the reports' JSON writer.
    auto not_text = [&](const std::string& what) {
      problems.push_back(problem(t.at, "target " + terminal_safe(t.name) + ": " + what +
                                           " is not UTF-8 text as read; write it as plain "
                                           "text (no NUL or control bytes)"));
    };
    if (!is_utf8(t.name) || !is_utf8(t.host)) not_text("its name or host");
    for (const auto& g : t.groups)
      if (!is_utf8(g)) not_text("group \"" + terminal_safe(g) + "\"");
    for (const auto& [k, v] : t.vars)
      if (!is_utf8(k) || !is_utf8(v)) not_text("variable \"" + terminal_safe(k) + "\"");
    auto [it, fresh] = seen.emplace(t.name, &t);
    if (!fresh)
      problems.push_back(problem(t.at, "duplicate target name \"" + t.name + "\" (first at " +
                                           it->second->at.str() +
                                           "); give each target a unique name"));
  }
  if (problems.empty() && inv.targets.empty())
    problems.push_back(
        problem({inv.file, 0, 0}, "the inventory lists no target; add at least one"));
  if (!problems.empty()) throw ConfigError(std::move(problems));
  std::set<std::string> groups(inv.groups.begin(), inv.groups.end());
  for (auto& t : inv.targets) {
    t.groups.push_back("all");
    std::sort(t.groups.begin(), t.groups.end());
    t.groups.erase(std::unique(t.groups.begin(), t.groups.end()), t.groups.end());
    groups.insert(t.groups.begin(), t.groups.end());
  }
  inv.groups.assign(groups.begin(), groups.end());
}

}  // namespace vantage::fleet
