#include "lab/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/decimal.hpp"
#include "core/small_file.hpp"

namespace vantage::lab {

namespace {

// The service keys, in name order: as messages list them and services are parsed.
std::vector<std::string> service_names() {
  std::vector<std::string> out;
  for (const auto& k : kServiceKinds) out.emplace_back(k.name);
  std::sort(out.begin(), out.end());
  return out;
}

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute() || base_dir.empty()) return p;
  return (std::filesystem::path(base_dir) / p).string();
}

std::vector<Prefix> parse_prefixes(const json& obj, const JsonPath& path, const char* key,
                                   Diagnostics& diags) {
  std::vector<Prefix> out;
  auto list = get_string_list(obj, path, key, diags);
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = Prefix::parse((*list)[i]);
    if (!p) {
      diags.error(path / key / i, "\"" + (*list)[i] +
                                      "\" is not an address or prefix (e.g. 192.0.2.0/24 or "
                                      "2001:db8::/32, with host bits clear)");
    } else {
      out.push_back(std::move(*p));
    }
  }
  return out;
}

template <typename Enum>
std::optional<Enum> get_enum(const json& obj, const JsonPath& path, const char* key,
                             const std::vector<std::pair<std::string, Enum>>& values,
                             Diagnostics& diags) {
  auto s = get_string(obj, path, key, diags);
  if (!s) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [n, v] : values) {
    if (n == *s) return v;
    names.push_back(n);
  }
  std::string msg = "\"" + *s + "\" is not one of:";
  for (const auto& n : names) msg += " " + n;
  if (auto dym = did_you_mean(*s, names)) msg += "; did you mean \"" + *dym + "\"?";
  diags.error(path / key, msg);
  return std::nullopt;
}

Certificate parse_certificate(const json& obj, const JsonPath& path, const std::string& base,
                              Diagnostics& diags) {
  Certificate c;
  auto it = obj.find("certificate");
  if (it == obj.end()) return c;
  const JsonPath p = path / "certificate";
  if (it->is_string()) {
    const auto s = it->get<std::string>();
    if (s == "none") return c;
    if (s == "self-signed") {
      c.kind = Certificate::Kind::kSelfSigned;
      return c;
    }
    diags.error(p, "\"" + s +
                       "\" is not a certificate: use \"none\" (anonymous DH, as RouterOS), "
                       "\"self-signed\", or {\"cert\": FILE, \"key\": FILE, \"chain\": FILE}");
    return c;
  }
  if (!check_keys(*it, p, {"cert", "key", "chain"}, diags)) return c;
  c.kind = Certificate::Kind::kFiles;
  c.cert_file = resolve(base, get_string(*it, p, "cert", diags, true).value_or(""));
  c.key_file = resolve(base, get_string(*it, p, "key", diags, true).value_or(""));
  c.chain_file = resolve(base, get_string(*it, p, "chain", diags).value_or(""));
  for (const auto& [key, file] : {std::pair{"cert", c.cert_file}, std::pair{"key", c.key_file},
                                  std::pair{"chain", c.chain_file}}) {
    if (!file.empty() && !std::filesystem::exists(file))
      diags.error(p / key, "file not found: " + file);
  }
  return c;
}

Service parse_service(const ServiceKind& spec, const json& obj, const JsonPath& path,
                      const std::string& base, Diagnostics& diags) {
  Service s;
  s.name = spec.name;
  s.port = spec.default_port;
  std::vector<std::string> keys = {"disabled",   "port",         "address",        "available-from",
                                   "disallowed", "max-sessions", "accept-delay-ms"};
  if (spec.tls) keys.insert(keys.end(), {"certificate", "tls-version", "legacy-tls"});
  if (!check_keys(obj, path, keys, diags)) return s;
  s.disabled = get_bool(obj, path, "disabled", diags).value_or(false);
  if (auto port = get_int(obj, path, "port", diags, 0, 65535))
    s.port = static_cast<std::uint16_t>(*port);
  if (obj.contains("address") && obj.contains("available-from"))
    diags.error(path / "available-from",
                "\"available-from\" (7.24+) is the new name of \"address\": give only one");
  s.address =
      parse_prefixes(obj, path, obj.contains("address") ? "address" : "available-from", diags);
  s.disallowed = get_enum<Disallowed>(obj, path, "disallowed",
                                      {{"reset", Disallowed::kReset},
                                       {"close", Disallowed::kClose},
                                       {"silent", Disallowed::kSilent}},
                                      diags)
                     .value_or(Disallowed::kReset);
  s.max_sessions = static_cast<int>(get_int(obj, path, "max-sessions", diags, 0, 1000).value_or(0));
  s.accept_delay = std::chrono::milliseconds(
      get_int(obj, path, "accept-delay-ms", diags, 0, 60'000).value_or(0));
  if (spec.tls) {
    s.certificate = parse_certificate(obj, path, base, diags);
    s.tls_version =
        get_enum<TlsVersion>(obj, path, "tls-version",
                             {{"any", TlsVersion::kAny}, {"only-1.2", TlsVersion::kOnly12}}, diags)
            .value_or(TlsVersion::kAny);
    s.legacy_tls = get_bool(obj, path, "legacy-tls", diags).value_or(false);
    if (s.legacy_tls && s.tls_version == TlsVersion::kOnly12)
      diags.error(path / "legacy-tls", "legacy-tls (TLS 1.0/1.1) contradicts tls-version only-1.2");
  }
  return s;
}

std::optional<std::string> read_password_file(const std::string& file, std::string& why) {
  auto text = read_small_file(file, kMaxSecretFileBytes, why);
  if (!text) return std::nullopt;
  std::string s = std::move(*text);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

User parse_user(const json& obj, const JsonPath& path, const std::string& base,
                const std::map<std::string, std::set<std::string>>& groups, Diagnostics& diags) {
  User u;
  if (!check_keys(obj, path,
                  {"name", "group", "password", "password_env", "password_file", "address",
                   "disabled", "last-logged-in"},
                  diags))
    return u;
  u.name = get_string(obj, path, "name", diags, true).value_or("");
  u.group = get_string(obj, path, "group", diags, true).value_or("");
  if (!u.group.empty() && !groups.count(u.group)) {
    std::vector<std::string> names;
    for (const auto& [n, p] : groups) names.push_back(n);
    std::string msg = "no group named \"" + u.group + "\"";
    if (auto dym = did_you_mean(u.group, names)) msg += "; did you mean \"" + *dym + "\"?";
    diags.error(path / "group", msg);
  }
  u.address = parse_prefixes(obj, path, "address", diags);
  u.disabled = get_bool(obj, path, "disabled", diags).value_or(false);
  int sources = 0;
  if (auto pw = get_string(obj, path, "password", diags)) {
    u.password = *pw;
    ++sources;
  }
  if (auto env = get_string(obj, path, "password_env", diags)) {
    ++sources;
    if (const char* v = std::getenv(env->c_str())) {
      u.password = v;
    } else {
      diags.error(path / "password_env", "environment variable " + *env + " is not set");
    }
  }
  if (auto file = get_string(obj, path, "password_file", diags)) {
    ++sources;
    std::string why;
    if (auto pw = read_password_file(resolve(base, *file), why)) {
      u.password = *pw;
    } else {
      diags.error(path / "password_file", "cannot read " + why);
    }
  }
  if (sources != 1)
    diags.error(path, "give exactly one of \"password\", \"password_env\", \"password_file\"");
  return u;
}

}  // namespace

const ServiceKind* service_kind(std::string_view name) {
  for (const auto& k : kServiceKinds)
    if (name == k.name) return &k;
  return nullptr;
}

bool Service::tls() const {
  const ServiceKind* k = service_kind(name);
  return k && k->tls;
}

bool Service::allows(std::string_view peer) const {
  if (address.empty()) return true;
  for (const auto& p : address)
    if (p.contains(peer)) return true;
  return false;
}

const Service* LabConfig::service(std::string_view name) const {
  auto it = services.find(std::string(name));
  return it == services.end() ? nullptr : &it->second;
}

const std::vector<std::string>& known_policies() {
  static const std::vector<std::string> k = {
      "local",  "telnet",   "ssh", "ftp",   "reboot",    "read", "write", "policy",  "test",
      "winbox", "password", "web", "sniff", "sensitive", "api",  "romon", "rest-api"};
  return k;
}

std::map<std::string, std::set<std::string>> builtin_groups() {
  // Approximately RouterOS's defaults: full has everything, write lacks
  // policy, read also lacks write and ftp.
  std::set<std::string> full(known_policies().begin(), known_policies().end());
  std::set<std::string> write = full;
  write.erase("policy");
  std::set<std::string> read = write;
  read.erase("write");
  read.erase("ftp");
  return {{"full", full}, {"write", write}, {"read", read}};
}

bool version_less(std::string_view a, std::string_view b) {
  constexpr long kPartMax = 999'999'999;
  auto parts = [](std::string_view v) {
    std::vector<long> out;
    long cur = 0;
    bool any = false;
    for (char c : v) {
      if (c >= '0' && c <= '9') {
        if (!push_digit(cur, c, kPartMax)) cur = kPartMax;  // a part this long: the largest
        any = true;
      } else if (c == '.') {
        out.push_back(cur);
        cur = 0;
        any = false;
      } else {
        break;  // "7.21rc1": compare the numeric part
      }
    }
    if (any) out.push_back(cur);
    return out;
  };
  return parts(a) < parts(b);
}

LabConfig parse_config(const ConfigDoc& doc) {
  Diagnostics diags(doc);
  LabConfig cfg;
  const json& root = doc.root();
  const JsonPath top;
  const std::string base = std::filesystem::path(doc.file()).parent_path().string();
  if (!check_keys(root, top,
                  {"identity", "version", "listen", "services", "webserver", "groups", "users",
                   "lab", "system", "firewall", "certificates"},
                  diags)) {
    diags.throw_if_any();
  }
  cfg.identity = get_string(root, top, "identity", diags).value_or(cfg.identity);
  if (auto v = get_string(root, top, "version", diags)) {
    if (v->empty() || (*v)[0] < '0' || (*v)[0] > '9')
      diags.error(top / "version", "expected a RouterOS version such as \"7.21\" or \"6.42\"");
    else
      cfg.version = *v;
  }
  if (auto l = get_string_list(root, top, "listen", diags)) {
    cfg.listen = *l;
    for (std::size_t i = 0; i < l->size(); ++i) {
      auto p = Prefix::parse((*l)[i]);
      if (!p || (*l)[i].find('/') != std::string::npos)
        diags.error(top / "listen" / i, "\"" + (*l)[i] + "\" is not a numeric IP address");
    }
    if (l->empty()) diags.error(top / "listen", "give at least one address to listen on");
  }
  if (auto it = root.find("services"); it != root.end()) {
    const JsonPath sp = top / "services";
    if (check_keys(*it, sp, service_names(), diags)) {
      for (const auto& name : service_names()) {
        if (auto s = it->find(name); s != it->end())
          cfg.services[name] = parse_service(*service_kind(name), *s, sp / name, base, diags);
      }
    }
  }
  if (auto it = root.find("webserver"); it != root.end()) {
    const JsonPath wp = top / "webserver";
    if (check_keys(*it, wp, {"rest-plain"}, diags))
      cfg.rest_plain = get_bool(*it, wp, "rest-plain", diags).value_or(cfg.rest_plain);
  }
  cfg.groups = builtin_groups();
  if (auto it = root.find("groups"); it != root.end()) {
    const JsonPath gp = top / "groups";
    if (!it->is_object()) {
      diags.error(gp, "expected an object of group name -> list of policies");
    } else {
      for (const auto& [name, val] : it->items()) {
        auto pol = get_string_list(*it, gp, name.c_str(), diags);
        if (!pol) continue;
        std::set<std::string> set;
        for (std::size_t i = 0; i < pol->size(); ++i) {
          const auto& p = (*pol)[i];
          if (std::find(known_policies().begin(), known_policies().end(), p) ==
              known_policies().end()) {
            std::string msg = "unknown policy \"" + p + "\"";
            if (auto dym = did_you_mean(p, known_policies()))
              msg += "; did you mean \"" + *dym + "\"?";
            diags.error(gp / name / i, msg);
          }
          set.insert(p);
        }
        cfg.groups[name] = std::move(set);
      }
    }
  }
  if (auto it = root.find("users"); it != root.end()) {
    const JsonPath up = top / "users";
    if (!it->is_array()) {
      diags.error(up, "expected a list of users");
    } else {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < it->size(); ++i) {
        User u = parse_user((*it)[i], up / i, base, cfg.groups, diags);
        if (auto t = get_string((*it)[i], up / i, "last-logged-in", diags))
          cfg.last_logged_in[u.name] = *t;
        if (!u.name.empty() && !seen.insert(u.name).second)
          diags.error(up / i / "name", "duplicate user \"" + u.name + "\"");
        cfg.users.push_back(std::move(u));
      }
    }
  }
  parse_state(root, base, cfg, diags);
  if (auto it = root.find("lab"); it != root.end()) {
    const JsonPath lp = top / "lab";
    if (check_keys(*it, lp,
                   {"idle-timeout-ms", "login-timeout-ms", "max-connections", "log-size",
                    "max-word", "max-bytes-before-login"},
                   diags)) {
      auto& l = cfg.limits;
      if (auto v = get_int(*it, lp, "idle-timeout-ms", diags, 10, 86'400'000))
        l.idle_timeout = std::chrono::milliseconds(*v);
      if (auto v = get_int(*it, lp, "login-timeout-ms", diags, 10, 86'400'000))
        l.login_timeout = std::chrono::milliseconds(*v);
      if (auto v = get_int(*it, lp, "max-connections", diags, 1, 10'000))
        l.max_connections = static_cast<std::size_t>(*v);
      if (auto v = get_int(*it, lp, "log-size", diags, 1, 100'000))
        l.log_size = static_cast<std::size_t>(*v);
      if (auto v = get_int(*it, lp, "max-word", diags, 64, 16 * 1024 * 1024))
        l.codec.max_word = static_cast<std::size_t>(*v);
      if (auto v = get_int(*it, lp, "max-bytes-before-login", diags, 64, 16 * 1024 * 1024))
        l.codec.max_bytes_before_login = static_cast<std::size_t>(*v);
    }
  }
  // Two services cannot share a fixed port.
  std::map<std::uint16_t, std::string> ports;
  for (const auto& [name, s] : cfg.services) {
    if (s.disabled || s.port == 0) continue;
    if (auto [it, ok] = ports.emplace(s.port, name); !ok)
      diags.error(top / "services" / name / "port",
                  "port " + std::to_string(s.port) + " is already used by " + it->second);
  }
  diags.throw_if_any();
  return cfg;
}

LabConfig load_config(const std::string& path) {
  return parse_config(ConfigDoc::load(path));
}

}  // namespace vantage::lab
