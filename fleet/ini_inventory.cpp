// Ansible's INI inventory: "[group]" lists hosts ("rtr1 ansible_host=192.0.2.1
// server_name=rtr1.example.net"), "[group:vars]" sets "key=value" for the
// group, "[group:children]" names its child groups; hosts before any section
// are "ungrouped". '#' and ';' start a comment line. Host ranges
// ("rtr[1:4]") are refused with what to write instead.
#include <optional>

#include "fleet/groups.hpp"

namespace vantage::fleet {

namespace {

struct Token {
  std::string text;
  int column = 0;
};

// Splits a host line at blanks, honouring '...' and "..." (the quotes are
// removed); an unquoted '#' starts a comment. nullopt: a quote left open.
std::optional<std::vector<Token>> tokens(const std::string& line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      const char c = line[i];
      if (c == '"' || c == '\'') {
        const auto close = line.find(c, i + 1);
        if (close == std::string::npos) return std::nullopt;
        t.text += line.substr(i + 1, close - i - 1);
        i = close + 1;
      } else {
        t.text += c;
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

}  // namespace

Inventory parse_ini_inventory(const std::string& file, const std::string& text) {
  GroupTree tree(file);
  std::vector<Diagnostic> problems;
  enum class Kind { kHosts, kVars, kChildren } kind = Kind::kHosts;
  std::string group = "ungrouped";
  int n = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || line[first] == ';') continue;
    const int col = static_cast<int>(first) + 1;
    const Location at{file, n, col};
    const std::string body = trim(line);
    if (body.front() == '[') {
      auto close = body.find(']');
      if (close == std::string::npos) {
        problems.push_back(problem(at,
                                   "a section header ends with ']': write [core], "
                                   "[core:vars] or [core:children]"));
        close = body.size();
      }
      const std::string inner = body.substr(1, close - 1);
      const auto colon = inner.find(':');
      group = inner.substr(0, colon);
      const std::string suffix = colon == std::string::npos ? "" : inner.substr(colon + 1);
      if (suffix.empty())
        kind = Kind::kHosts;
      else if (suffix == "vars")
        kind = Kind::kVars;
      else if (suffix == "children")
        kind = Kind::kChildren;
      else {
        kind = Kind::kHosts;  // read on as hosts, so later lines are still checked
        problems.push_back(problem({file, n, col + 2 + static_cast<int>(colon)},
                                   "unknown section kind \":" + suffix + "\"; write [" + group +
                                       "], [" + group + ":vars] or [" + group + ":children]"));
      }
      if (!valid_group_name(group))
        problems.push_back(
            problem({file, n, col + 1},
                    "group name \"" + group + "\" may hold only letters, digits, '_' and '-'"));
      else
        tree.group(group, at);
      continue;
    }
    if (kind == Kind::kVars) {
      const auto eq = body.find('=');
      const std::string key = eq == std::string::npos ? "" : trim(body.substr(0, eq));
      if (key.empty() || key.find_first_of(" \t") != std::string::npos) {
        problems.push_back(problem(at, "a [" + group +
                                           ":vars] line is key=value, e.g. "
                                           "server_name=rtr.example.net"));
        continue;
      }
      tree.group_vars(group, {{key, unquote(trim(body.substr(eq + 1)))}}, at);
      continue;
    }
    if (kind == Kind::kChildren) {
      const std::string child = trim(body);
      if (!valid_group_name(child))
        problems.push_back(problem(at, "a [" + group +
                                           ":children] line names one group (letters, "
                                           "digits, '_' and '-'), found \"" +
                                           child + "\""));
      else
        tree.child(group, child, at);
      continue;
    }
    auto toks = tokens(line);
    if (!toks) {
      problems.push_back(problem(at,
                                 "a quote is never closed on this line; close it, e.g. "
                                 "description=\"core router\""));
      continue;
    }
    if (toks->empty()) continue;
    const Token& name = toks->front();
    if (name.text.find('[') != std::string::npos) {
      problems.push_back(problem({file, n, name.column},
                                 "host ranges such as \"" + name.text +
                                     "\" are not expanded; list each host on its own line"));
      continue;
    }
    if (name.text.find('=') != std::string::npos) {
      problems.push_back(problem({file, n, name.column},
                                 "a host line starts with the host's name, then key=value "
                                 "pairs: rtr1 ansible_host=192.0.2.1"));
      continue;
    }
    VarList vars;
    bool ok = true;
    for (std::size_t i = 1; i < toks->size(); ++i) {
      const Token& t = (*toks)[i];
      const auto eq = t.text.find('=');
      if (eq == std::string::npos || eq == 0) {
        problems.push_back(
            problem({file, n, t.column}, "expected key=value after the host name, found \"" +
                                             t.text + "\"; write e.g. server_name=" + name.text +
                                             ".example.net (quote a value with spaces)"));
        ok = false;
        continue;
      }
      vars.emplace_back(t.text.substr(0, eq), t.text.substr(eq + 1));
    }
    if (ok) tree.host(group, name.text, vars, {file, n, name.column});
  }
  return tree.finish("ini", std::move(problems));
}

}  // namespace vantage::fleet
