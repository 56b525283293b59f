#include "scenarios/vars.hpp"

#include <optional>

namespace vantage::scenarios {

namespace {

struct Var {
  std::optional<std::string> value;
};

void walk(json& v, const JsonPath& path, const std::map<std::string, Var>& vars, Diagnostics& diags,
          const std::string& hint) {
  if (v.is_object()) {
    for (auto& [k, child] : v.items()) walk(child, path / k, vars, diags, hint);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], path / i, vars, diags, hint);
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.find("${") == std::string::npos) return;
    std::string out;
    std::size_t i = 0;
    bool whole = false;
    while (i < s.size()) {
      auto open = s.find("${", i);
      if (open == std::string::npos) {
        out += s.substr(i);
        break;
      }
      auto close = s.find('}', open);
      if (close == std::string::npos) {
        diags.error(path, "unterminated \"${\" in \"" + s + "\"; write ${name}");
        return;
      }
      out += s.substr(i, open - i);
      const std::string name = s.substr(open + 2, close - open - 2);
      whole = open == 0 && close == s.size() - 1;
      auto it = vars.find(name);
      if (it == vars.end()) {
        diags.error(path, "unknown variable ${" + name + "}; declare it under \"vars\"");
        return;
      }
      if (!it->second.value) {
        diags.error(path,
                    "variable ${" + name + "} has no value; pass --var " + name + "=VALUE" + hint);
        return;
      }
      out += *it->second.value;
      i = close + 1;
    }
    if (whole && !out.empty() && out.find_first_not_of("0123456789") == std::string::npos &&
        out.size() < 10) {
      v = std::stoll(out);
    } else {
      v = out;
    }
  }
}

}  // namespace

void substitute_vars(json& root, const std::map<std::string, std::string>& given,
                     Diagnostics& diags, std::map<std::string, Diagnostic>* undeclared,
                     const std::string& unset_hint) {
  std::map<std::string, Var> vars;
  const JsonPath vp = JsonPath() / "vars";
  if (auto it = root.find("vars"); it != root.end()) {
    if (!it->is_object()) {
      diags.error(
          vp, "expected an object: {\"name\": {\"default\": \"value\", \"description\": \"...\"}}");
    } else {
      for (const auto& [name, decl] : it->items()) {
        Var var;
        if (decl.is_string()) {
          var.value = decl.get<std::string>();
        } else if (decl.is_object()) {
          check_keys(decl, vp / name, {"default", "description"}, diags);
          if (auto d = decl.find("default"); d != decl.end()) {
            if (d->is_string())
              var.value = d->get<std::string>();
            else if (d->is_number_integer())
              var.value = std::to_string(d->get<std::int64_t>());
            else
              diags.error(vp / name / "default", "a default is a string or an integer");
          }
        } else if (!decl.is_null()) {
          diags.error(vp / name,
                      "declare a variable as a default string, null (required), or an object");
        }
        vars[name] = var;
      }
    }
  }
  for (const auto& [name, value] : given) {
    auto it = vars.find(name);
    if (it == vars.end()) {
      std::vector<std::string> names;
      for (const auto& [n, v] : vars) names.push_back(n);
      std::string msg = "--var " + name + " is not a variable of this scenario";
      if (auto m = did_you_mean(name, names)) msg += "; did you mean \"" + *m + "\"?";
      if (undeclared) {
        Diagnostics one(diags.doc());
        one.error(vp, msg);
        undeclared->emplace(name, one.list().front());
      } else {
        diags.error(vp, msg);
      }
      continue;
    }
    it->second.value = value;
  }
  for (auto& [k, child] : root.items()) {
    if (k != "vars") walk(child, JsonPath() / k, vars, diags, unset_hint);
  }
}

}  // namespace vantage::scenarios
