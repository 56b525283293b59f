// JSON (comments allowed): a list of targets, or {"hosts": [...]} or
// {"hosts": {"NAME": {...}}}, with optional top-level "vars" for every
// target. A target is {"name", "host", "groups", "vars": {...}}; any other key
// is a variable too, so a list exported from a spreadsheet reads as written.
#include "core/json_config.hpp"
#include "fleet/inventory.hpp"

namespace vantage::fleet {

namespace {

// A variable's value as the scenario sees it: text.
std::optional<std::string> scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return v.dump();
  return std::nullopt;
}

void read_vars(const json& obj, const JsonPath& path, std::map<std::string, std::string>& out,
               Diagnostics& diags) {
  for (const auto& [k, v] : obj.items()) {
    if (v.is_null()) continue;
    if (auto s = scalar(v))
      out[k] = *s;
    else
      diags.error(path / k,
                  "a variable's value is a string, a number or true/false, found " + type_name(v));
  }
}

Location at(const ConfigDoc& doc, const JsonPath& path) {
  const auto d = doc.diagnostic(path, "");
  return {d.file, d.line, d.column};
}

void read_target(const ConfigDoc& doc, const json& v, const JsonPath& path,
                 const std::string& key_name, const std::map<std::string, std::string>& common,
                 Inventory& inv, Diagnostics& diags) {
  if (!v.is_object()) {
    diags.error(path,
                "expected a target object such as {\"name\": \"core-rtr-1\", \"host\": "
                "\"192.0.2.1\"}, found " +
                    type_name(v));
    return;
  }
  InventoryTarget t;
  t.at = at(doc, path);
  t.vars = common;
  t.name = key_name;
  for (const auto& [k, val] : v.items()) {
    const JsonPath p = path / k;
    if (k == "name" || k == "host") {
      if (!val.is_string()) {
        diags.error(p, "\"" + k + "\" is a string");
        continue;
      }
      (k == "name" ? t.name : t.host) = val.get<std::string>();
    } else if (k == "groups") {
      if (auto g = get_string_list(v, path, "groups", diags)) t.groups = *g;
    } else if (k == "vars") {
      if (!val.is_object())
        diags.error(p, "\"vars\" is an object of NAME: VALUE");
      else
        read_vars(val, p, t.vars, diags);
    } else if (!val.is_null()) {
      if (auto s = scalar(val))
        t.vars[k] = *s;
      else
        diags.error(p, "a variable's value is a string, a number or true/false, found " +
                           type_name(val) + "; nest variables under \"vars\" only as NAME: VALUE");
    }
  }
  if (t.host.empty() && !key_name.empty()) t.host = key_name;  // {"hosts": {"NAME": {}}}
  if (t.host.empty() && !v.contains("host")) {
    diags.error(path,
                "target without \"host\"; add \"host\": \"192.0.2.1\" (its address or DNS "
                "name)");
    return;
  }
  if (t.name.empty()) t.name = t.host;
  inv.groups.insert(inv.groups.end(), t.groups.begin(), t.groups.end());
  inv.targets.push_back(std::move(t));
}

}  // namespace

Inventory parse_json_inventory(const std::string& file, const std::string& text) {
  const ConfigDoc doc = ConfigDoc::parse(file, text);
  Diagnostics diags(doc);
  Inventory inv;
  inv.file = file;
  inv.format = "json";
  const json& root = doc.root();
  std::map<std::string, std::string> common;
  const json* hosts = &root;
  JsonPath hp;
  if (root.is_object()) {
    check_keys(root, JsonPath(), {"hosts", "vars"}, diags);
    if (auto it = root.find("vars"); it != root.end()) {
      if (it->is_object())
        read_vars(*it, JsonPath() / "vars", common, diags);
      else
        diags.error(JsonPath() / "vars", "\"vars\" is an object of NAME: VALUE for every target");
    }
    auto it = root.find("hosts");
    if (it == root.end()) {
      diags.error(JsonPath(),
                  "missing \"hosts\": write {\"hosts\": [{\"name\": \"core-rtr-1\", "
                  "\"host\": \"192.0.2.1\"}]}");
      diags.throw_if_any();
    }
    hosts = &*it;
    hp = JsonPath() / "hosts";
  }
  if (hosts->is_array()) {
    for (std::size_t i = 0; i < hosts->size(); ++i)
      read_target(doc, (*hosts)[i], hp / i, "", common, inv, diags);
  } else if (hosts->is_object() && hosts != &root) {
    for (const auto& [name, v] : hosts->items())
      read_target(doc, v.is_null() ? json::object() : v, hp / name, name, common, inv, diags);
  } else {
    diags.error(hp,
                "expected a list of targets ([{\"name\": ..., \"host\": ...}]) or "
                "{\"hosts\": ...}, found " +
                    type_name(*hosts));
  }
  finish_inventory(inv, diags.list());
  return inv;
}

}  // namespace vantage::fleet
