// Correlation: the router's own log against what this run's probes did.
// Every connection vantage made to the API ports from outside the management
// range must appear as a drop with the expected prefix, its source address
// and port, inside the run's window (router clock skew measured and allowed
// for); one from inside must not. The detection login must appear as a login
// failure; no successful API login may come from outside the range.
#include <fmt/format.h>

#include "probes/routeros_state/routeros_state_probe.hpp"
#include "routeros/facts.hpp"

namespace vantage::probes {

namespace {

std::string get(const Row& r, const char* k) {
  auto it = r.find(k);
  return it == r.end() ? std::string() : it->second;
}

// "ip:port" / "[v6]:port" -> ip, port.
bool split_hostport(const std::string& hp, std::string& ip, std::string& port) {
  const auto colon = hp.rfind(':');
  if (colon == std::string::npos) return false;
  ip = hp.substr(0, colon);
  if (ip.size() > 1 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
  port = hp.substr(colon + 1);
  return true;
}

struct LogLine {
  std::int64_t at;  // this host's clock (router time minus skew)
  std::string message;
};

// "... from 198.51.100.10 via api" -> the address.
std::string from_address(const std::string& msg) {
  const auto f = msg.find(" from ");
  if (f == std::string::npos) return {};
  const auto start = f + 6;
  return msg.substr(start, msg.find(' ', start) - start);
}

}  // namespace

Correlation judge_correlation(const RouterosStateSpec& s, const StateObservation& o) {
  Correlation result;
  auto& out = result.findings;
  const auto* log = o.state.rows("/log");
  const auto* clock = o.state.rows("/system/clock");
  // Unread menus and an unmeasured clock are unknowns (observe()): no pass.
  if (!log || !clock || clock->empty() || !o.state.skew) return result;
  const long skew = static_cast<long>(o.state.skew->count());
  if (std::labs(skew) > s.max_skew_s)
    out.push_back(state_finding("clock skew", "router clock",
                                fmt::format("the router's clock is {:+d} s off this host's ({}): "
                                            "its log cannot be matched with events elsewhere",
                                            skew, o.state.router_clock),
                                "/system ntp client set enabled=yes servers=<ntp server>"));
  const std::string today = get(clock->front(), "date");
  const std::string off = get(clock->front(), "gmt-offset");
  std::vector<LogLine> lines;
  for (const auto& r : *log)
    if (auto t = log_time(get(r, "time"), today, off))
      lines.push_back({*t - skew, get(r, "message")});

  std::string target_ip, target_port;
  split_hostport(o.remote, target_ip, target_port);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // Log times have whole seconds; the measured skew has the round trip's error.
  constexpr long kSlack = 3;
  const std::string drop_fix = fmt::format(
      "/ip firewall filter set [find chain=input action=drop dst-port=8728,8729] log=yes "
      "log-prefix=\"{}\"",
      s.log_prefix);
  // The API ports as the router has them (a moved port is still the API).
  std::vector<std::string> api_ports;
  for (auto p : s.api_ports) api_ports.push_back(std::to_string(p));
  if (const auto* svc = o.state.rows("/ip/service"))
    for (const auto& r : *svc)
      if (get(r, "name") == "api" || get(r, "name") == "api-ssl")
        api_ports.push_back(get(r, "port"));
  int& expected = result.outside;
  int& matched = result.matched;
  for (const auto& c : o.run_conns) {
    std::string dip, dport, lip, lport;
    if (!split_hostport(c.remote, dip, dport) || !split_hostport(c.local, lip, lport)) continue;
    if (dip != target_ip) continue;
    bool api = false;
    for (const auto& p : api_ports) api = api || dport == p;
    if (!api) continue;
    const long at =
        std::chrono::duration_cast<std::chrono::seconds>(c.at.time_since_epoch()).count();
    const std::string needle = lip + ":" + lport + "->" + dip + ":" + dport;
    const LogLine* hit = nullptr;
    for (const auto& l : lines)
      if (l.message.rfind(s.log_prefix, 0) == 0 && l.message.find(needle) != std::string::npos &&
          l.at >= at - kSlack && l.at <= now + kSlack) {
        hit = &l;
        break;
      }
    const bool allowed = in_prefix(lip, s.mgmt_range);
    if (!allowed) {
      ++expected;
      if (hit) {
        ++matched;
      } else {
        out.push_back(
            state_finding("unlogged API connection", needle,
                          fmt::format("vantage connected {} -> {}:{} from outside {} in this run; "
                                      "the router's log has no \"{}\" line naming {} (NAT, another "
                                      "device answering, or a drop that does not log)",
                                      c.local, dip, dport, s.mgmt_range, s.log_prefix, needle),
                          drop_fix));
      }
    } else if (hit) {
      out.push_back(state_finding(
          "dropped management connection", needle,
          fmt::format("the router dropped {} although {} is in the management range {}: \"{}\"",
                      needle, lip, s.mgmt_range, hit->message),
          "/ip firewall address-list add list=mgmt address=" + lip));
    }
  }
  const long start = o.run_conns.empty() ? now
                                         : std::chrono::duration_cast<std::chrono::seconds>(
                                               o.run_conns.front().at.time_since_epoch())
                                                   .count() -
                                               kSlack;
  bool detection_seen = false;
  for (const auto& l : lines) {
    if (l.at < start || l.at > now + kSlack) continue;
    const std::string& m = l.message;
    const std::string addr = from_address(m);
    const bool failure = m.find("login failure for user") != std::string::npos ||
                         m.find("login failed for user") != std::string::npos;
    if (failure && m.find(std::string(" ") + routeros::kDetectionUser + " ") != std::string::npos) {
      if (!s.detection_from || !s.detection_from->address || addr == *s.detection_from->address)
        detection_seen = true;
    }
    if (m.find(" logged in from ") != std::string::npos && m.find("via api") != std::string::npos &&
        !in_prefix(addr, s.mgmt_range))
      out.push_back(state_finding(
          "API login from outside the management range", addr,
          fmt::format("the router logged a successful API login from {}, outside {}: \"{}\"", addr,
                      s.mgmt_range, m),
          "/ip service set api-ssl address=" + s.mgmt_range +
              "; /user set [find] address=" + s.mgmt_range));
  }
  if (s.detection_from && !detection_seen)
    out.push_back(state_finding(
        "unlogged detection login", routeros::kDetectionUser,
        fmt::format(
            "the detection login (user {}) from {} is not in the router's log as a "
            "login failure within the run",
            routeros::kDetectionUser,
            s.detection_from->address ? *s.detection_from->address : s.detection_from->name),
        "/system logging add topics=critical action=memory"));
  return result;
}

}  // namespace vantage::probes
