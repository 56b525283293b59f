// Ansible's YAML inventory: every top-level key is a group (usually "all"),
// and a group is {hosts: {NAME: {VAR: VALUE}}, vars: {...}, children:
// {GROUP: {...}}}. Read with yaml-cpp, whose marks give each problem its
// line and column.
#include <yaml-cpp/yaml.h>

#include "core/json_config.hpp"
#include "fleet/groups.hpp"

namespace vantage::fleet {

namespace {

class Reader {
 public:
  Reader(const std::string& file, GroupTree& tree, std::vector<Diagnostic>& problems)
      : file_(file), tree_(tree), problems_(problems) {}

  Location at(const YAML::Node& n) const {
    const auto m = n.Mark();
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }
  void error(const YAML::Node& n, std::string msg) { problems_.push_back(problem(at(n), msg)); }

  // A group's vars or a host's: a map of NAME: scalar.
  VarList vars(const YAML::Node& n, const std::string& what) {
    VarList out;
    if (n.IsNull()) return out;
    if (!n.IsMap()) {
      error(n, what + " is a map of NAME: VALUE, e.g. server_name: rtr1.example.net");
      return out;
    }
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      if (kv.second.IsNull()) continue;
      if (!kv.second.IsScalar()) {
        error(kv.second,
              "variable " + key + " must be a string, a number or true/false, not a list or a map");
        continue;
      }
      out.emplace_back(key, kv.second.as<std::string>());
    }
    return out;
  }

  void group(const std::string& name, const YAML::Node& n, const YAML::Node& key) {
    if (!valid_group_name(name)) {
      error(key, "group name \"" + name + "\" may hold only letters, digits, '_' and '-'");
      return;
    }
    tree_.group(name, at(key));
    if (n.IsNull()) return;
    if (!n.IsMap()) {
      error(n, "group " + name + " is a map with hosts, vars and children");
      return;
    }
    static const std::vector<std::string> kKeys = {"hosts", "vars", "children"};
    for (const auto& kv : n) {
      const std::string k = kv.first.as<std::string>();
      if (k == "hosts") {
        hosts(name, kv.second);
      } else if (k == "vars") {
        tree_.group_vars(name, vars(kv.second, "the vars of group " + name), at(kv.first));
      } else if (k == "children") {
        if (kv.second.IsNull()) continue;
        if (!kv.second.IsMap()) {
          error(kv.second, "children is a map of GROUP: {hosts: ...}");
          continue;
        }
        for (const auto& c : kv.second) {
          const std::string child = c.first.as<std::string>();
          if (valid_group_name(child)) tree_.child(name, child, at(c.first));
          group(child, c.second, c.first);
        }
      } else {
        std::string msg = "unknown key \"" + k + "\" in group " + name;
        if (auto m = did_you_mean(k, kKeys)) msg += "; did you mean \"" + *m + "\"?";
        msg += " A group has hosts, vars and children";
        error(kv.first, msg);
      }
    }
  }

  void hosts(const std::string& g, const YAML::Node& n) {
    if (n.IsNull()) return;
    if (!n.IsMap()) {
      error(n, "hosts is a map of NAME: {VAR: VALUE}, e.g. rtr1: {ansible_host: 192.0.2.1}");
      return;
    }
    for (const auto& kv : n) {
      const std::string name = kv.first.as<std::string>();
      tree_.host(g, name, vars(kv.second, "host " + name), at(kv.first));
    }
  }

 private:
  std::string file_;
  GroupTree& tree_;
  std::vector<Diagnostic>& problems_;
};

}  // namespace

Inventory parse_yaml_inventory(const std::string& file, const std::string& text) {
  GroupTree tree(file);
  std::vector<Diagnostic> problems;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(
        {problem({file, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg)});
  }
  Reader r(file, tree, problems);
  if (!root.IsMap()) {
    r.error(root,
            "a YAML inventory is a map of groups, e.g. all: {hosts: {rtr1: "
            "{ansible_host: 192.0.2.1}}}");
    throw ConfigError(problems);
  }
  try {
    for (const auto& kv : root) r.group(kv.first.as<std::string>(), kv.second, kv.first);
  } catch (const YAML::Exception& e) {
    problems.push_back(problem({file, e.mark.line + 1, e.mark.column + 1}, e.msg));
  }
  return tree.finish("yaml", std::move(problems));
}

}  // namespace vantage::fleet
