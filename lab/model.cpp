#include "lab/model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "routeros/facts.hpp"
#include "routeros/legacy_login.hpp"

namespace vantage::lab {

namespace {

const char* yes_no(bool b, bool v7) {
  if (v7) return b ? "true" : "false";
  return b ? "yes" : "no";
}

std::string join(const std::vector<Prefix>& v) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : ",") + p.text();
  return out;
}

const std::string kPermissionDenied = std::string(routeros::kNotEnoughPermissions) + " (9)";

Reply trap(Reply::Kind kind, std::string message) {
  Reply r;
  r.kind = kind;
  r.traps.push_back({std::move(message), std::nullopt});
  return r;
}

}  // namespace

// One row per menu the lab serves; every prefix of a path is a directory.
// A new menu: one row here and its rows() function. `set` is non-null
// exactly when `commands` has "set".
struct RouterModel::Menu {
  const char* path;
  std::vector<std::string> commands;
  bool singleton;  // one object, no items
  std::vector<Row> (RouterModel::*rows)() const;
  Reply (RouterModel::*set)(const Principal&, const Request&);
};

const std::vector<RouterModel::Menu>& RouterModel::menus() {
  static const std::vector<Menu> k = {
      {"/system/identity",
       {"print", "getall", "set"},
       true,
       &RouterModel::identity_rows,
       &RouterModel::set_identity},
      {"/system/resource", {"print", "getall"}, true, &RouterModel::resource_rows, nullptr},
      {"/user", {"print", "getall"}, false, &RouterModel::user_rows, nullptr},
      {"/user/group", {"print", "getall"}, false, &RouterModel::group_rows, nullptr},
      {"/ip/service", {"print", "getall"}, false, &RouterModel::service_rows, nullptr},
      {"/log", {"print", "getall", "listen"}, false, &RouterModel::log_rows, nullptr},
      {"/system/clock", {"print", "getall"}, true, &RouterModel::clock_rows, nullptr},
      {"/system/package/update",
       {"print", "getall"},
       true,
       &RouterModel::package_update_rows,
       nullptr},
      {"/ip/firewall/filter", {"print", "getall"}, false, &RouterModel::filter_rows, nullptr},
      {"/ip/firewall/address-list",
       {"print", "getall"},
       false,
       &RouterModel::address_list_rows,
       nullptr},
      {"/certificate", {"print", "getall"}, false, &RouterModel::certificate_rows, nullptr},
  };
  return k;
}

bool RouterModel::singleton(std::string_view menu) {
  return std::any_of(menus().begin(), menus().end(),
                     [&](const Menu& m) { return m.singleton && menu == m.path; });
}

std::string routeros_duration(std::chrono::seconds s) {
  long long t = s.count();
  const std::pair<long long, char> units[] = {
      {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  std::string out;
  for (const auto& [n, c] : units) {
    if (t >= n) {
      out += std::to_string(t / n) + c;
      t %= n;
    }
  }
  return out.empty() ? "0s" : out;
}

RouterModel::RouterModel(LabConfig cfg)
    : cfg_(std::move(cfg)),
      log_(cfg_.limits.log_size, cfg_.system.clock_skew),
      identity_(cfg_.identity) {}

std::string RouterModel::identity() const {
  std::lock_guard lock(mu_);
  return identity_;
}

void RouterModel::set_bound_port(const std::string& service, std::uint16_t port) {
  std::lock_guard lock(mu_);
  bound_ports_[service] = port;
}

std::optional<Principal> RouterModel::finish_login(const User* u, bool ok, std::string_view user,
                                                   std::string_view peer, std::string_view service,
                                                   std::string_view policy) {
  std::optional<Principal> p;
  if (ok && u && !u->disabled) {
    bool from_ok =
        u->address.empty() || std::any_of(u->address.begin(), u->address.end(),
                                          [&](const Prefix& pr) { return pr.contains(peer); });
    auto g = cfg_.groups.find(u->group);
    if (from_ok && g != cfg_.groups.end() && g->second.count(std::string(policy)))
      p = Principal{u->name, g->second};
  }
  LogEntry e;
  e.user = std::string(user);
  e.address = std::string(peer);
  e.service = std::string(service);
  if (p) {
    std::lock_guard lock(mu_);
    last_login_[p->user] = format_time(now());
  }
  if (p) {
    e.kind = LogEntry::Kind::kLoginOk;
    e.topics = "system,info,account";
    e.message = fmt::format("user {} logged in from {} via {}", user, peer, service);
  } else {
    e.kind = LogEntry::Kind::kLoginFailed;
    e.topics = "system,error,critical";
    e.message = fmt::format("login failure for user {} from {} via {}", user, peer, service);
  }
  log_.append(std::move(e));
  return p;
}

std::optional<Principal> RouterModel::login(std::string_view user, std::string_view password,
                                            std::string_view peer, std::string_view service,
                                            std::string_view policy) {
  const User* u = nullptr;
  for (const auto& c : cfg_.users)
    if (c.name == user) u = &c;
  return finish_login(u, u && u->password == password, user, peer, service, policy);
}

std::optional<Principal> RouterModel::login_challenge(
    std::string_view user, std::string_view response, std::string_view challenge_hex,
    std::string_view peer, std::string_view service, std::string_view policy) {
  const User* u = nullptr;
  for (const auto& c : cfg_.users)
    if (c.name == user) u = &c;
  bool ok = false;
  if (u) {
    auto want = routeros::legacy_login_response(u->password, challenge_hex);
    ok = want && *want == response;
  }
  return finish_login(u, ok, user, peer, service, policy);
}

void RouterModel::log_logout(std::string_view user, std::string_view peer,
                             std::string_view service) {
  LogEntry e;
  e.kind = LogEntry::Kind::kLogout;
  e.topics = "system,info,account";
  e.user = std::string(user);
  e.address = std::string(peer);
  e.service = std::string(service);
  e.message = fmt::format("user {} logged out from {} via {}", user, peer, service);
  log_.append(std::move(e));
}

Row RouterModel::log_row(const LogEntry& e) {
  return {{".id", fmt::format("*{:X}", e.id)},
          {"time", e.time},
          {"topics", e.topics},
          {"message", e.message}};
}

std::vector<Row> RouterModel::identity_rows() const {
  return {{{"name", identity()}}};
}

std::vector<Row> RouterModel::resource_rows() const {
  auto up =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  return {{{"uptime", routeros_duration(up)},
           {"version", cfg_.version + " (stable)"},
           {"free-memory", "786432000"},
           {"total-memory", "1073741824"},
           {"cpu", "QEMU Virtual CPU"},
           {"cpu-count", "1"},
           {"cpu-load", "0"},
           {"free-hdd-space", "83886080"},
           {"total-hdd-space", "134217728"},
           {"architecture-name", cfg_.system.architecture},
           {"board-name", cfg_.system.board_name},
           {"platform", "MikroTik"}}};
}

std::vector<Row> RouterModel::user_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  std::vector<Row> rows;
  int id = 1;
  std::lock_guard lock(mu_);
  for (const auto& u : cfg_.users) {
    Row r{{".id", fmt::format("*{:X}", id++)},
          {"name", u.name},
          {"group", u.group},
          {"address", join(u.address)}};
    // RouterOS leaves last-logged-in out for a user who never logged in.
    auto seen = last_login_.find(u.name);
    if (seen != last_login_.end()) {
      r.push_back({"last-logged-in", seen->second});
    } else if (!u.last_logged_in.empty()) {
      r.push_back({"last-logged-in", u.last_logged_in});
    }
    r.push_back({"disabled", yes_no(u.disabled, v7)});
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> RouterModel::group_rows() const {
  std::vector<Row> rows;
  int id = 1;
  for (const auto& [name, pol] : cfg_.groups) {
    std::string policy;
    for (const auto& p : known_policies())
      policy += (policy.empty() ? "" : ",") + (pol.count(p) ? p : "!" + p);
    rows.push_back({{".id", fmt::format("*{:X}", id++)},
                    {"name", name},
                    {"policy", policy},
                    {"skin", "default"}});
  }
  return rows;
}

std::vector<Row> RouterModel::service_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  std::vector<Row> rows;
  int id = 1;
  std::lock_guard lock(mu_);
  for (const ServiceKind& kind : kServiceKinds) {
    const std::string name = kind.name;
    const Service* s = cfg_.service(name);
    Row r{{".id", fmt::format("*{:X}", id++)}, {"name", name}};
    std::uint16_t port = s ? s->port : kind.default_port;
    if (auto it = bound_ports_.find(name); it != bound_ports_.end()) port = it->second;
    r.push_back({"port", std::to_string(port)});
    r.push_back({"address", s ? join(s->address) : ""});
    if (kind.tls) {
      std::string cert = "none";
      if (s && s->certificate.kind != Certificate::Kind::kNone) cert = certificate_name(name);
      r.push_back({"certificate", cert});
      r.push_back({"tls-version", s && s->tls_version == TlsVersion::kOnly12 ? "only-1.2" : "any"});
    }
    if (!version_less(cfg_.version, "7.16"))
      r.push_back({"max-sessions", std::to_string(s ? s->max_sessions : 20)});
    r.push_back({"invalid", yes_no(false, v7)});
    r.push_back({"disabled", yes_no(!s || s->disabled, v7)});
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> RouterModel::log_rows() const {
  std::vector<Row> rows;
  for (const auto& e : log_.entries()) rows.push_back(log_row(e));
  return rows;
}

Reply RouterModel::set_identity(const Principal& who, const Request& req) {
  std::optional<std::string> name;
  for (const auto& [k, v] : req.args) {
    if (k == "name") {
      name = v;
    } else {
      return trap(Reply::Kind::kBadArgument, "unknown parameter " + k);
    }
  }
  if (name) {
    std::string old;
    {
      std::lock_guard lock(mu_);
      old = identity_;
      identity_ = *name;
    }
    if (old != *name) {
      LogEntry e;
      e.topics = "system,info";
      e.message = fmt::format("system identity changed by {}", who.user);
      log_.append(std::move(e));
    }
  }
  return {};
}

Reply RouterModel::run(const Principal& who, const Request& req) {
  Reply r;
  // Split "/a/b/cmd" into the menu path and the command.
  std::string_view cmd(req.command);
  auto slash = cmd.rfind('/');
  std::string menu(slash == std::string_view::npos ? "" : cmd.substr(0, slash));
  std::string name(slash == std::string_view::npos ? cmd : cmd.substr(slash + 1));
  // Walk the directories first: an unknown one gets RouterOS's two traps.
  std::string dir;
  std::size_t pos = 1;
  while (pos <= menu.size()) {
    auto next = menu.find('/', pos);
    std::string seg = menu.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    dir += "/" + seg;
    bool known = std::any_of(menus().begin(), menus().end(), [&](const Menu& m) {
      std::string_view p(m.path);
      return p == dir || (p.starts_with(dir) && p[dir.size()] == '/');
    });
    if (!known) {
      r.kind = Reply::Kind::kNoSuchCommand;
      r.traps.push_back({"no such command or directory (" + seg + ")", std::nullopt});
      r.traps.push_back({"no such command prefix", std::nullopt});
      return r;
    }
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  auto m =
      std::find_if(menus().begin(), menus().end(), [&](const Menu& x) { return menu == x.path; });
  if (menu.empty() || m == menus().end() ||
      std::find(m->commands.begin(), m->commands.end(), name) == m->commands.end()) {
    r.kind = Reply::Kind::kNoSuchCommand;
    r.traps.push_back({"no such command", std::nullopt});
    return r;
  }
  if (name == "set") {
    if (!who.has("write")) return trap(Reply::Kind::kPermission, kPermissionDenied);
    return (this->*m->set)(who, req);
  }
  if (!who.has("read")) return trap(Reply::Kind::kPermission, kPermissionDenied);
  if (name == "listen") {
    r.kind = Reply::Kind::kListen;
    return r;
  }
  // print / getall
  std::optional<std::vector<std::string>> proplist;
  for (const auto& [k, v] : req.args) {
    if (k == ".proplist") {
      std::vector<std::string> keys;
      std::size_t start = 0;
      while (start <= v.size()) {
        auto comma = v.find(',', start);
        keys.push_back(
            v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      proplist = std::move(keys);
    } else if (k == "detail" || k == "without-paging" || k == "terse") {
      // accepted and ignored: the API always returns full values
    } else {
      return trap(Reply::Kind::kBadArgument, "unknown parameter " + k);
    }
  }
  r.is_print = true;
  for (auto& row : (this->*m->rows)()) {
    if (!query_matches(req.queries, row)) continue;
    if (proplist) {
      Row kept;
      for (auto& kv : row)
        if (std::find(proplist->begin(), proplist->end(), kv.first) != proplist->end())
          kept.push_back(std::move(kv));
      row = std::move(kept);
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

}  // namespace vantage::lab
