#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "capture/run_capture.hpp"
#include "net/sockaddr.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/vars.hpp"

namespace vantage::scenarios {

namespace {

const std::vector<std::string> kTopKeys = {"vantage", "name",    "description", "vars",
                                           "target",  "targets", "sources",     "defaults",
                                           "capture", "checks"};
const std::vector<std::string> kTargetKeys = {"host", "name", "server_name"};
const std::vector<std::string> kSourceKeys = {"address", "interface", "netns", "description"};
const std::vector<std::string> kDefaultKeys = {"timeout_ms", "attempts", "severity",
                                               "max_per_target"};
const std::vector<std::string> kCommonCheckKeys = {
    "id",          "probe",      "port",     "from", "severity",
    "description", "timeout_ms", "attempts", "skip", "fix"};
const std::vector<std::string> kSeverities = {"critical", "high", "medium", "low", "info"};

constexpr std::int64_t kMaxTimeoutMs = 600000;

std::optional<results::Target> parse_target(const json& v, const JsonPath& path,
                                            Diagnostics& diags) {
  results::Target t;
  if (v.is_string()) {
    t.host = v.get<std::string>();
  } else {
    if (!check_keys(v, path, kTargetKeys, diags)) return std::nullopt;
    auto host = get_string(v, path, "host", diags, true);
    if (!host) return std::nullopt;
    t.host = *host;
    t.name = get_string(v, path, "name", diags).value_or("");
    t.server_name = get_string(v, path, "server_name", diags).value_or("");
  }
  if (t.host.empty()) {
    diags.error(path, "the target host is empty; write an IP address or a host name");
    return std::nullopt;
  }
  if (t.name.empty()) t.name = t.host;
  return t;
}

void parse_targets(const json& root, Scenario& sc, Diagnostics& diags) {
  const bool has_one = root.contains("target"), has_many = root.contains("targets");
  if (has_one && has_many) {
    diags.error(JsonPath() / "targets",
                "use either \"target\" (one) or \"targets\" (a list), not both");
    return;
  }
  if (!has_one && !has_many) {
    diags.error(JsonPath(), "missing \"target\": add \"target\": {\"host\": \"192.0.2.1\"}");
    return;
  }
  if (has_one) {
    if (auto t = parse_target(root["target"], JsonPath() / "target", diags))
      sc.targets.push_back(*t);
    return;
  }
  const json& list = root["targets"];
  const JsonPath path = JsonPath() / "targets";
  if (!list.is_array() || list.empty()) {
    diags.error(path, "expected a non-empty list of targets");
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto t = parse_target(list[i], path / i, diags);
    if (!t) continue;
    if (!names.insert(t->name).second) {
      diags.error(path / i,
                  "duplicate target name \"" + t->name + "\"; give each target a unique \"name\"");
      continue;
    }
    sc.targets.push_back(*t);
  }
}

void parse_sources(const json& root, Scenario& sc, Diagnostics& diags) {
  auto it = root.find("sources");
  if (it == root.end()) return;
  const JsonPath path = JsonPath() / "sources";
  if (!it->is_object()) {
    diags.error(
        path,
        "expected an object of named sources, e.g. {\"mgmt\": {\"address\": \"192.0.2.10\"}}");
    return;
  }
  for (const auto& [name, v] : it->items()) {
    const JsonPath p = path / name;
    if (!check_keys(v, p, kSourceKeys, diags)) continue;
    net::SourceSpec s;
    s.name = name;
    // An empty string means "not set", so a scenario can leave a source key
    // to a variable whose default is "" (e.g. netns in the lab, address on a
    // real network).
    const json& obj = v;  // clang 14 cannot capture a structured binding
    auto opt = [&](const char* key) {
      auto val = get_string(obj, p, key, diags);
      return val && val->empty() ? std::nullopt : val;
    };
    s.address = opt("address");
    s.interface = opt("interface");
    s.netns = opt("netns");
    get_string(v, p, "description", diags);
    if (s.address && s.address->find("${") == std::string::npos &&
        !net::SockAddr::parse(*s.address)) {
      diags.error(p / "address", "\"" + *s.address + "\" is not an IPv4 or IPv6 address literal");
    }
    if (s.interface && (s.interface->empty() || s.interface->size() >= 16)) {
      diags.error(p / "interface", "an interface name is 1-15 characters");
    }
    sc.sources.push_back(std::move(s));
  }
}

struct Defaults {
  std::chrono::milliseconds timeout{3000};
  int attempts = 2;
  std::string severity = "high";
};

Defaults parse_defaults(const json& root, Scenario& sc, Diagnostics& diags) {
  Defaults d;
  auto it = root.find("defaults");
  if (it == root.end()) return d;
  const JsonPath p = JsonPath() / "defaults";
  if (!check_keys(*it, p, kDefaultKeys, diags)) return d;
  if (auto t = get_int(*it, p, "timeout_ms", diags, 1, kMaxTimeoutMs))
    d.timeout = std::chrono::milliseconds(*t);
  if (auto a = get_int(*it, p, "attempts", diags, 1, 10)) d.attempts = static_cast<int>(*a);
  if (auto m = get_int(*it, p, "max_per_target", diags, 1, 1024))
    sc.max_per_target = static_cast<int>(*m);
  if (auto s = get_string(*it, p, "severity", diags)) {
    if (std::find(kSeverities.begin(), kSeverities.end(), *s) == kSeverities.end()) {
      diags.error(p / "severity",
                  "unknown severity \"" + *s + "\"; use critical, high, medium, low or info");
    } else {
      d.severity = *s;
    }
  }
  return d;
}

void parse_check(const json& v, const JsonPath& path, const Defaults& d,
                 const probes::ParseEnv& env, Scenario& sc, std::set<std::string>& ids,
                 Diagnostics& diags) {
  if (!v.is_object()) {
    diags.error(path, "expected a check object with \"id\", \"probe\" and \"expect\", found " +
                          type_name(v));
    return;
  }
  Check c;
  auto id = get_string(v, path, "id", diags, true);
  auto probe_name = get_string(v, path, "probe", diags, true);
  if (id) {
    static const std::regex kId("[A-Za-z0-9][A-Za-z0-9._-]*");
    if (!std::regex_match(*id, kId)) {
      diags.error(path / "id", "check id \"" + *id + "\" must be letters, digits, '.', '_' or '-'");
    } else if (!ids.insert(*id).second) {
      diags.error(path / "id", "duplicate check id \"" + *id + "\"; every check id must be unique");
    }
    c.common.id = *id;
  }
  std::vector<std::string> allowed = kCommonCheckKeys;
  if (probe_name) {
    c.probe = probes::find_probe(*probe_name);
    if (!c.probe) {
      std::string msg = "unknown probe \"" + *probe_name + "\"";
      if (auto m = did_you_mean(*probe_name, probes::probe_names()))
        msg += "; did you mean \"" + *m + "\"?";
      msg += " Known probes:";
      for (const auto& n : probes::probe_names()) msg += " " + n;
      diags.error(path / "probe", msg);
    } else {
      c.common.probe = *probe_name;
      for (auto& k : c.probe->keys()) allowed.push_back(k);
    }
  }
  // Without a known probe, the probe's own keys cannot be judged: skip the
  // unknown-key check rather than report false errors.
  if (c.probe) check_keys(v, path, allowed, diags);
  c.common.description = get_string(v, path, "description", diags).value_or("");
  c.common.fix = get_string(v, path, "fix", diags).value_or("");
  c.common.severity = d.severity;
  if (auto s = get_string(v, path, "severity", diags)) {
    if (std::find(kSeverities.begin(), kSeverities.end(), *s) == kSeverities.end()) {
      diags.error(path / "severity",
                  "unknown severity \"" + *s + "\"; use critical, high, medium, low or info");
    } else {
      c.common.severity = *s;
    }
  }
  c.common.timeout = d.timeout;
  c.common.attempts = d.attempts;
  if (auto t = get_int(v, path, "timeout_ms", diags, 1, kMaxTimeoutMs))
    c.common.timeout = std::chrono::milliseconds(*t);
  if (auto a = get_int(v, path, "attempts", diags, 1, 10)) c.common.attempts = static_cast<int>(*a);
  if (auto s = get_string(v, path, "skip", diags)) c.skip_reason = *s;

  if (c.probe && c.probe->needs_port()) {
    if (auto p = get_int(v, path, "port", diags, 1, 65535, true))
      c.common.port = static_cast<std::uint16_t>(*p);
  } else if (c.probe && v.contains("port")) {
    diags.error(path / "port", "probe \"" + c.common.probe + "\" takes no port; remove \"port\"");
  }
  if (c.probe && c.probe->uses_sources()) {
    if (auto from = get_string_list(v, path, "from", diags, true)) {
      if (from->empty()) diags.error(path / "from", "name at least one source");
      std::vector<std::string> names;
      for (const auto& s : sc.sources) names.push_back(s.name);
      for (std::size_t i = 0; i < from->size(); ++i) {
        const auto& name = (*from)[i];
        if (sc.source(name)) continue;
        const JsonPath fp = v["from"].is_array() ? path / "from" / i : path / "from";
        std::string msg = "unknown source \"" + name + "\"";
        if (auto m = did_you_mean(name, names)) msg += "; did you mean \"" + *m + "\"?";
        if (names.empty()) {
          msg += "; define it under \"sources\", e.g. \"sources\": {\"" + name +
                 "\": {\"address\": \"192.0.2.10\"}}";
        } else {
          msg += " Defined sources:";
          for (const auto& n : names) msg += " " + n;
        }
        diags.error(fp, msg);
      }
      c.common.from = *from;
    }
  } else if (c.probe && v.contains("from")) {
    diags.error(path / "from",
                "probe \"" + c.common.probe + "\" does not run from a source; remove \"from\"");
  }
  if (c.probe) c.spec = c.probe->parse(v, path, diags, env);
  sc.checks.push_back(std::move(c));
}

}  // namespace

const net::SourceSpec* Scenario::source(const std::string& n) const {
  for (const auto& s : sources)
    if (s.name == n) return &s;
  return nullptr;
}

Scenario parse_scenario(const ConfigDoc& doc, const LoadOptions& opt) {
  Diagnostics diags(doc);
  Scenario sc;
  sc.file = doc.file();
  sc.fingerprint = results::fingerprint(doc.root().dump());
  json root = doc.root();
  if (!check_keys(root, JsonPath(), kTopKeys, diags)) diags.throw_if_any();
  std::vector<Diagnostic> in_inventory;  // a fleet target's problems, at its inventory line
  if (opt.target) {
    const auto& t = *opt.target;
    substitute_vars(root, target_vars(root, t, opt.vars, diags, in_inventory), diags,
                    opt.undeclared_vars,
                    " or set it for target " + t.name + " in " + t.file +
                        (t.line > 0 ? ":" + std::to_string(t.line) : ""));
  } else {
    substitute_vars(root, opt.vars, diags, opt.undeclared_vars);
  }

  if (auto it = root.find("vantage"); it == root.end()) {
    diags.error(JsonPath(), "missing \"vantage\": 1 (the scenario format version)");
  } else if (!it->is_number_integer() || it->get<std::int64_t>() != 1) {
    diags.error(JsonPath() / "vantage",
                "unsupported format version " + it->dump() + "; this vantage reads \"vantage\": 1");
  }
  sc.name = get_string(root, JsonPath(), "name", diags).value_or("");
  if (sc.name.empty()) sc.name = std::filesystem::path(doc.file()).stem().string();
  sc.description = get_string(root, JsonPath(), "description", diags).value_or("");
  parse_targets(root, sc, diags);
  if (opt.target && sc.targets.size() == 1) {  // the inventory's, whatever the scenario wrote
    sc.targets[0].host = opt.target->host;
    sc.targets[0].name = opt.target->name;
  }
  parse_sources(root, sc, diags);
  Defaults d = parse_defaults(root, sc, diags);
  if (auto it = root.find("capture"); it != root.end()) {
    sc.capture = capture::parse_capture_config(*it, JsonPath() / "capture", diags);
  }

  probes::ParseEnv env;
  env.base_dir = opt.base_dir ? *opt.base_dir : std::filesystem::absolute(doc.file()).parent_path();
  env.sources = &sc.sources;
  auto it = root.find("checks");
  const JsonPath cp = JsonPath() / "checks";
  if (it == root.end()) {
    diags.error(JsonPath(), "missing \"checks\": add a list with at least one check");
  } else if (!it->is_array()) {
    diags.error(cp, "expected a list of checks, found " + type_name(*it));
  } else if (it->empty()) {
    diags.error(cp,
                "\"checks\" is empty: a scenario that checks nothing proves nothing; add at least "
                "one check");
  } else {
    std::set<std::string> ids;
    const json& raw = doc.root().at("checks");  // as written: --var values are not the check
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto before = sc.checks.size();
      parse_check((*it)[i], cp / i, d, env, sc, ids, diags);
      if (sc.checks.size() == before) continue;
      auto& c = sc.checks.back().common;
      const auto at = doc.diagnostic(cp / i, "");
      c.file = at.file;
      c.line = at.line;
      c.column = at.column;
      c.fingerprint = results::fingerprint(raw.at(i).dump());
    }
  }
  if (!in_inventory.empty()) {
    in_inventory.insert(in_inventory.end(), diags.list().begin(), diags.list().end());
    throw ConfigError(in_inventory);
  }
  diags.throw_if_any();
  return sc;
}

Scenario load_scenario(const std::string& path, const LoadOptions& opt) {
  return parse_scenario(ConfigDoc::load(path), opt);
}

}  // namespace vantage::scenarios
