// The configuration judges: services, users and groups, firewall,
// certificate, version. Each finding names the RouterOS command that fixes it
// (commands from the RouterOS manual: /ip service, /user, /ip firewall).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/decimal.hpp"
#include "core/plural.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"

namespace vantage::probes {

namespace {

std::string get(const Row& r, const char* k) {
  auto it = r.find(k);
  return it == r.end() ? std::string() : it->second;
}
bool yes(const Row& r, const char* k) {
  return get(r, k) == "true" || get(r, k) == "yes";
}

const Row* find_row(const std::vector<Row>& rows, const char* key, const std::string& value) {
  for (const auto& r : rows)
    if (get(r, key) == value) return &r;
  return nullptr;
}

std::string port_list(const std::vector<std::uint16_t>& ports) {
  std::string out;
  for (auto p : ports) out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

// Whether a rule's dst-port ("8728,8729", "8728-8729", "") covers `port`.
bool covers_port(const std::string& spec, std::uint16_t port) {
  if (spec.empty()) return true;
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const auto comma = spec.find(',', pos);
    const std::string e = spec.substr(pos, comma - pos);
    const auto dash = e.find('-');
    // An entry that does not read as a port or a range covers nothing.
    const auto lo = parse_decimal(std::string_view(e).substr(0, dash), 65535);
    const auto hi =
        dash == std::string::npos ? lo : parse_decimal(std::string_view(e).substr(dash + 1), 65535);
    if (lo && hi && port >= *lo && port <= *hi) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

bool covers_api(const Row& r, const std::vector<std::uint16_t>& ports) {
  const std::string proto = get(r, "protocol");
  if (!proto.empty() && proto != "tcp" && proto != "6") return false;
  for (auto p : ports)
    if (!covers_port(get(r, "dst-port"), p)) return false;
  return true;
}

// A rule with no match condition at all: it sees every packet of its chain.
bool unconditional(const Row& r) {
  for (const char* k : {"protocol", "dst-port", "src-address", "src-address-list", "in-interface",
                        "in-interface-list", "connection-state", "dst-address", "port"})
    if (!get(r, k).empty()) return false;
  return true;
}

}  // namespace

std::vector<Finding> judge_services(const RouterosStateSpec& s, const RouterState& st) {
  std::vector<Finding> out;
  const auto* rows = st.rows("/ip/service");
  if (!rows) return out;
  for (const auto& name : s.disabled) {
    const Row* r = find_row(*rows, "name", name);
    if (r && !yes(*r, "disabled"))
      out.push_back(
          state_finding("enabled service", name,
                        fmt::format("service {} is enabled (port {})", name, get(*r, "port")),
                        "/ip service disable " + name));
  }
  const Row* ssl = find_row(*rows, "name", "api-ssl");
  if (!ssl) {
    out.push_back(state_finding("missing service", "api-ssl", "the router lists no api-ssl service",
                                "/ip service enable api-ssl"));
    return out;
  }
  std::string address = get(*ssl, "address");
  if (address.empty()) address = get(*ssl, "available-from");  // 7.24's name
  if (address.empty())
    out.push_back(state_finding("api-ssl setting", "address",
                                "api-ssl has no address restriction: any source may connect",
                                "/ip service set api-ssl address=" + s.mgmt_range));
  else if (!all_within(address, s.mgmt_range))
    out.push_back(
        state_finding("api-ssl setting", "address",
                      fmt::format("api-ssl address={} admits more than the management range {}",
                                  address, s.mgmt_range),
                      "/ip service set api-ssl address=" + s.mgmt_range));
  const std::string cert = get(*ssl, "certificate");
  if (cert.empty() || cert == "none")
    out.push_back(
        state_finding("api-ssl setting", "certificate",
                      "api-ssl has certificate=none: anonymous DH, no authentication of the router",
                      "/ip service set api-ssl certificate=<certificate name>"));
  if (get(*ssl, "tls-version") != s.tls_version)
    out.push_back(state_finding("api-ssl setting", "tls-version",
                                fmt::format("api-ssl tls-version={} (expected {})",
                                            get(*ssl, "tls-version"), s.tls_version),
                                "/ip service set api-ssl tls-version=" + s.tls_version));
  const std::string ms = get(*ssl, "max-sessions");
  if (ms.empty())
    out.push_back(state_finding("api-ssl setting", "max-sessions",
                                "api-ssl shows no max-sessions (RouterOS before 7.16 has none)",
                                "/system package update install (max-sessions needs RouterOS "
                                "7.16+)",
                                true));
  else if (const auto n = parse_decimal(ms, 1'000'000); !n || *n > s.max_sessions)
    out.push_back(state_finding(
        "api-ssl setting", "max-sessions",
        fmt::format("api-ssl max-sessions={} (at most {} expected)", ms, s.max_sessions),
        fmt::format("/ip service set api-ssl max-sessions={}", s.max_sessions)));
  if (get(*ssl, "port") == "8729")
    out.push_back(state_finding("api-ssl setting", "port",
                                "api-ssl is on its default port 8729; a non-default port only "
                                "hides it from casual scans (obscurity, not protection)",
                                "/ip service set api-ssl port=<port>", true));
  return out;
}

std::vector<Finding> judge_users(const RouterosStateSpec& s, const RouterState& st,
                                 const std::string& audit_user) {
  std::vector<Finding> out;
  const auto* users = st.rows("/user");
  const auto* groups = st.rows("/user/group");
  if (!users || !groups) return out;
  if (const Row* me = find_row(*users, "name", audit_user)) {
    const std::string g = get(*me, "group");
    const Row* gr = find_row(*groups, "name", g);
    const std::string pol = gr ? get(*gr, "policy") : "";
    std::vector<std::string> wrong;
    for (const char* p : {"read", "api"})
      if (!has_word(pol, p)) wrong.push_back(std::string("lacks ") + p);
    for (const char* p : {"write", "policy", "sensitive"})
      if (has_word(pol, p)) wrong.push_back(std::string("has ") + p);
    if (!wrong.empty()) {
      std::string why;
      for (const auto& w : wrong) why += (why.empty() ? "" : ", ") + w;
      out.push_back(
          state_finding("over-privileged audit user", audit_user,
                        fmt::format("the audit user {}'s group {} ({}) is not least-privilege: {}",
                                    audit_user, g, pol, why),
                        "/user group set " + g + " policy=read,api"));
    }
  } else {
    out.push_back(state_finding("missing audit user", audit_user,
                                "the audit user " + audit_user + " is not in /user",
                                "/user add name=" + audit_user + " group=<read,api group>"));
  }
  const std::time_t now = std::time(nullptr);
  for (const auto& u : *users) {
    if (yes(u, "disabled")) continue;
    const std::string name = get(u, "name");
    if (get(u, "address").empty())
      out.push_back(state_finding("user without address restriction", name,
                                  "user " + name + " has no address restriction",
                                  "/user set " + name + " address=" + s.mgmt_range));
    if (name == "admin")
      out.push_back(state_finding("default admin account", name,
                                  "the default admin account is still enabled",
                                  "/user disable admin (after adding a named full account)"));
    const std::string last = get(u, "last-logged-in");
    char today[16];
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
    auto t = last.empty() ? std::nullopt : log_time(last, today, "");
    const long days = t ? static_cast<long>((now - *t) / 86400) : -1;
    if (name != audit_user && (last.empty() || days > s.inactive_days))
      out.push_back(state_finding(
          "inactive user", name,
          last.empty()
              ? "user " + name + " has never logged in"
              : fmt::format("user {} last logged in {} ago ({})", name,
                            counted(static_cast<std::size_t>(std::max(0L, days)), "day"), last),
          "/user disable " + name));
    // Advice, one per account: each is a decision of its own.
    if (get(u, "group") == "full")
      out.push_back(state_finding("account in group full", name,
                                  "user " + name + " is in group full (every policy)",
                                  "/user set " + name + " group=<narrower group>", true));
  }
  return out;
}

std::vector<Finding> judge_firewall(const RouterosStateSpec& s, const RouterState& st) {
  std::vector<Finding> out;
  const auto* rules = st.rows("/ip/firewall/filter");
  const auto* lists = st.rows("/ip/firewall/address-list");
  if (!rules || !lists) return out;
  const std::string ports = port_list(s.api_ports);
  const std::string drop_fix = fmt::format(
      "/ip firewall filter add chain=input protocol=tcp dst-port={} action=drop "
      "log=yes log-prefix=\"{}\"",
      ports, s.log_prefix);
  int accept = -1, drop = -1;
  std::string accept_list;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const Row& r = (*rules)[i];
    if (yes(r, "disabled") || get(r, "chain") != "input") continue;
    const std::string action = get(r, "action");
    if (action == "log" && unconditional(r))
      out.push_back(state_finding(
          "unconditional log rule", get(r, ".id"),
          fmt::format("rule {} logs every input packet (action=log with no match): "
                      "the log floods and hides the API drops",
                      get(r, ".id")),
          fmt::format("/ip firewall filter remove {}; then {}", get(r, ".id"), drop_fix)));
    if (!covers_api(r, s.api_ports)) continue;
    const std::string src = get(r, "src-address"), list = get(r, "src-address-list");
    if (action == "accept" && accept < 0 && (!list.empty() || !src.empty())) {
      accept = static_cast<int>(i);
      accept_list = list;
      if (!src.empty() && !all_within(src, s.mgmt_range))
        out.push_back(state_finding(
            "too wide API accept rule", get(r, ".id"),
            fmt::format("the API accept rule admits src-address={}, more than {}", src,
                        s.mgmt_range),
            fmt::format("/ip firewall filter set {} src-address={}", get(r, ".id"), s.mgmt_range)));
    } else if ((action == "drop" || action == "reject") && drop < 0 && src.empty() &&
               list.empty()) {
      drop = static_cast<int>(i);
      if (!yes(r, "log") || get(r, "log-prefix").empty())
        out.push_back(state_finding(
            "silent API drop rule", get(r, ".id"),
            fmt::format("the API drop rule {} does not log (log={}, log-prefix=\"{}\")",
                        get(r, ".id"), get(r, "log"), get(r, "log-prefix")),
            fmt::format("/ip firewall filter set {} log=yes log-prefix=\"{}\"", get(r, ".id"),
                        s.log_prefix)));
    }
  }
  const std::string accept_fix = fmt::format(
      "/ip firewall filter add chain=input protocol=tcp dst-port={} src-address-list=mgmt "
      "action=accept place-before=0",
      ports);
  if (accept < 0)
    out.push_back(state_finding("missing firewall rule", "API accept",
                                "no input rule accepts the management range on the API ports",
                                accept_fix));
  if (drop < 0)
    out.push_back(state_finding("missing firewall rule", "API drop",
                                "no input rule drops everyone else on the API ports", drop_fix));
  if (accept >= 0 && drop >= 0 && drop < accept)
    out.push_back(
        state_finding("misordered firewall rule", get((*rules)[drop], ".id"),
                      "the API drop rule comes before the accept for the management range",
                      fmt::format("/ip firewall filter move {} destination={}",
                                  get((*rules)[accept], ".id"), get((*rules)[drop], ".id"))));
  if (!accept_list.empty()) {
    int entries = 0;
    for (const auto& e : *lists) {
      if (get(e, "list") != accept_list || yes(e, "disabled")) continue;
      ++entries;
      if (!all_within(get(e, "address"), s.mgmt_range))
        out.push_back(
            state_finding("address-list entry outside the management range", get(e, "address"),
                          fmt::format("address list {} admits {}, outside the management range {}",
                                      accept_list, get(e, "address"), s.mgmt_range),
                          fmt::format("/ip firewall address-list remove [find list={} address={}]",
                                      accept_list, get(e, "address"))));
    }
    if (entries == 0)
      out.push_back(
          state_finding("empty address list", accept_list,
                        "address list " + accept_list + " used by the API accept rule is empty",
                        fmt::format("/ip firewall address-list add list={} address={}", accept_list,
                                    s.mgmt_range)));
  }
  return out;
}

std::vector<Finding> judge_certificate(const RouterosStateSpec&, const RouterState& st) {
  std::vector<Finding> out;
  const auto* svc = st.rows("/ip/service");
  const auto* certs = st.rows("/certificate");
  if (!svc || !certs) return out;
  const Row* ssl = find_row(*svc, "name", "api-ssl");
  const std::string name = ssl ? get(*ssl, "certificate") : "";
  const Row* c = name.empty() ? nullptr : find_row(*certs, "name", name);
  if (!c) {
    out.push_back(state_finding("missing certificate", name,
                                "api-ssl's certificate \"" + name + "\" is not in /certificate",
                                "/ip service set api-ssl certificate=<certificate name>"));
    return out;
  }
  std::string fp = get(*c, "fingerprint");
  fp.erase(std::remove(fp.begin(), fp.end(), ':'), fp.end());
  std::transform(fp.begin(), fp.end(), fp.begin(), ::tolower);
  if (fp != st.wire_sha256)
    out.push_back(
        state_finding("certificate mismatch", name,
                      fmt::format("api-ssl's certificate {} has fingerprint {} on the router, but "
                                  "the certificate served in this run is {} (another device "
                                  "answering, NAT, or a stale assignment)",
                                  name, fp.empty() ? "(none)" : fp, st.wire_sha256),
                      "/ip service set api-ssl certificate=" + name +
                          " (and check what answers on the API address)"));
  return out;
}

std::vector<Finding> judge_version(const RouterosStateSpec& s, const RouterState& st) {
  std::vector<Finding> out;
  const auto* res = st.rows("/system/resource");
  if (!res || res->empty()) return out;
  const std::string v = get(res->front(), "version");
  const std::string upgrade =
      "/system package update set channel=long-term; /system package update install";
  if (!compare_versions(v, v)) {
    // Nothing can be held against a version that does not parse: fail closed.
    if (!s.min_version.empty() || !s.known_fixes.empty())
      out.push_back(state_finding("unparsable version", v,
                                  "unparsable RouterOS version \"" + v + "\"", upgrade));
    return out;
  }
  if (!s.min_version.empty()) {
    auto c = compare_versions(v, s.min_version);
    if (!c || *c < 0)
      out.push_back(state_finding(
          "outdated RouterOS", v,
          fmt::format("RouterOS {} is below the minimum {}", v, s.min_version), upgrade));
  }
  // One finding per known CVE whose fix this version's train lacks.
  for (const auto& k : s.known_fixes)
    if (auto fixed = needed_fix(k, v))
      out.push_back(
          state_finding("known vulnerability", k.cve,
                        fmt::format("RouterOS {} has {} (fixed in {}): {} [source: {}{}]", v, k.cve,
                                    *fixed, k.summary, fmt::join(k.sources, ", "),
                                    k.confidence.empty() ? "" : "; confidence " + k.confidence),
                        upgrade));
  if (const auto* up = st.rows("/system/package/update"); up && !up->empty()) {
    const std::string latest = get(up->front(), "latest-version");
    auto c = latest.empty() ? std::nullopt : compare_versions(v, latest);
    if (c && *c < 0)
      out.push_back(
          state_finding("available update", latest,
                        fmt::format("RouterOS {} is installed; {} is available", v, latest),
                        "/system package update install", true));
  }
  return out;
}

}  // namespace vantage::probes
