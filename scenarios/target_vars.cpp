// A fleet target's vars (vantage run --inventory), before substitution.
#include <regex>

#include "scenarios/vars.hpp"

namespace vantage::scenarios {

namespace {

// "x" when `v` is exactly "${x}".
std::optional<std::string> whole_var(const json& v) {
  static const std::regex kWhole(R"(\$\{([^}]+)\})");
  std::smatch m;
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (!std::regex_match(s, m, kWhole)) return std::nullopt;
  return m[1].str();
}

}  // namespace

std::map<std::string, std::string> target_vars(const json& root, const TargetOverride& t,
                                               const std::map<std::string, std::string>& given,
                                               Diagnostics& diags,
                                               std::vector<Diagnostic>& in_inventory) {
  auto located = [&](std::string msg) {
    in_inventory.push_back({t.file, t.line, t.column, "", std::move(msg)});
  };
  if (root.contains("targets"))
    diags.error(JsonPath() / "targets",
                "--inventory gives the targets, and this scenario lists its own \"targets\"; "
                "write one \"target\": {\"host\": \"${router}\"} for the inventory to fill");
  std::vector<std::string> declared;
  if (auto it = root.find("vars"); it != root.end() && it->is_object())
    for (const auto& [k, v] : it->items()) declared.push_back(k);
  auto is_declared = [&](const std::string& k) {
    return std::find(declared.begin(), declared.end(), k) != declared.end();
  };

  std::map<std::string, std::string> out = given;
  auto set = [&](const std::string& k, const std::string& v, const std::string& from) {
    auto it = given.find(k);
    if (it != given.end() && it->second != v) {
      located("target " + t.name + ": --var " + k + "=" + it->second + " and the inventory's " +
              from + " disagree; set " + k + " in one place");
      return;
    }
    out[k] = v;
  };
  for (const auto& [k, v] : t.vars) {
    if (is_declared(k)) {
      set(k, v, k + "=" + v);
    } else if (auto m = did_you_mean(k, declared)) {
      located("target " + t.name + ": variable " + k + " is not a variable of this scenario (" +
              root.value("name", std::string("?")) + "); did you mean " + *m +
              "? (other inventory variables are ignored)");
    }
  }
  // "target": {"host": "${router}", "name": "${router_name}"}: those take the
  // inventory's host and name, so every other ${router} means the same.
  if (auto it = root.find("target"); it != root.end()) {
    auto host_var = it->is_object() ? whole_var(it->value("host", json())) : whole_var(*it);
    auto name_var = it->is_object() ? whole_var(it->value("name", json())) : std::nullopt;
    for (const auto& [var, value, what] :
         {std::tuple{host_var, t.host, "host"}, std::tuple{name_var, t.name, "name"}}) {
      if (!var || !is_declared(*var)) continue;
      auto own = t.vars.find(*var);
      if (own != t.vars.end() && own->second != value) {
        located("target " + t.name + ": variable " + *var + "=" + own->second +
                " disagrees with the target's " + what + " " + value + "; the scenario's target " +
                what + " is ${" + *var + "}, so leave it out");
        continue;
      }
      set(*var, value, std::string(what) + " " + value);
    }
  }
  return out;
}

}  // namespace vantage::scenarios
