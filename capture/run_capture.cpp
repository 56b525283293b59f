#include "capture/run_capture.hpp"

#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <map>
#include <thread>

#include "capture/live_capture.hpp"
#include "capture/packet.hpp"
#include "core/error.hpp"
#include "net/resolve.hpp"
#include "net/sockaddr.hpp"

namespace vantage::capture {
namespace {

bool parse_port_list(const json& obj, const JsonPath& path, const char* key, Diagnostics& diags,
                     std::vector<std::uint16_t>& out) {
  if (!obj.contains(key)) return true;
  const json& v = obj.at(key);
  const JsonPath p = path / key;
  auto one = [&](const json& x, const JsonPath& at) {
    if (!x.is_number_integer() || x.get<std::int64_t>() < 1 || x.get<std::int64_t>() > 65535) {
      diags.error(at, "expected a TCP port (1-65535), got " + x.dump());
      return false;
    }
    out.push_back(static_cast<std::uint16_t>(x.get<std::int64_t>()));
    return true;
  };
  out.clear();
  if (v.is_array()) {
    bool ok = !v.empty();
    if (!ok) diags.error(p, "expected at least one port");
    for (std::size_t i = 0; i < v.size(); ++i) ok = one(v[i], p / i) && ok;
    return ok;
  }
  return one(v, p);
}

// "ip:port" or "[ip6]:port" as net::SockAddr prints them.
std::optional<Endpoint> parse_endpoint(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  Endpoint e;
  if (!IpAddr::parse(s.substr(0, colon), e.ip)) return std::nullopt;
  try {
    const unsigned long port = std::stoul(s.substr(colon + 1));
    if (port > 65535) return std::nullopt;
    e.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return e;
}

}  // namespace

std::optional<CaptureConfig> parse_capture_config(const json& v, const JsonPath& path,
                                                  Diagnostics& diags) {
  const std::size_t before = diags.size();
  if (!check_keys(v, path,
                  {"interface", "netns", "filter", "file", "drain_ms", "api_ports", "tls_ports"},
                  diags)) {
    return std::nullopt;
  }
  CaptureConfig c;
  if (auto s = get_string(v, path, "interface", diags)) c.interface = *s;
  // "" means unset, so a scenario variable can leave the capture in this namespace.
  if (auto s = get_string(v, path, "netns", diags); s && !s->empty()) c.netns = *s;
  if (auto s = get_string(v, path, "filter", diags)) {
    c.filter = *s;
    if (auto problem = filter_syntax_error(*s))
      diags.error(path / "filter", "not a valid capture (BPF) filter: " + *problem);
  }
  if (auto s = get_string(v, path, "file", diags)) {
    if (s->empty()) diags.error(path / "file", "expected a file name, got an empty string");
    c.file = *s;
  }
  if (auto ms = get_int(v, path, "drain_ms", diags, 0, 60000))
    c.drain = std::chrono::milliseconds(*ms);
  parse_port_list(v, path, "api_ports", diags, c.api_ports);
  parse_port_list(v, path, "tls_ports", diags, c.tls_ports);
  if (c.interface.empty()) diags.error(path / "interface", "expected an interface name or \"any\"");
  if (diags.size() != before) return std::nullopt;
  return c;
}

std::string plan_filter(const std::vector<CaptureTarget>& targets, const std::string& user) {
  std::map<std::string, std::vector<std::uint16_t>> by_host;  // empty vector: all ports
  std::map<std::string, bool> all_ports;
  for (const auto& t : targets) {
    std::string ip = t.host;
    IpAddr a;
    if (!IpAddr::parse(ip, a)) {
      // Bounded like every lookup; unresolvable: the self-validation will say so.
      auto r = net::resolve(t.host, std::nullopt, AF_UNSPEC, std::chrono::seconds(5));
      if (!r.address) continue;
      ip = r.address->ip();
      IpAddr::parse(ip, a);
    }
    ip = a.str();
    auto& ports = by_host[ip];
    if (t.port == 0)
      all_ports[ip] = true;
    else if (std::find(ports.begin(), ports.end(), t.port) == ports.end())
      ports.push_back(t.port);
  }
  std::vector<std::string> parts;
  for (auto& [ip, ports] : by_host) {
    if (all_ports[ip] || ports.empty()) {
      parts.push_back("host " + ip);
      continue;
    }
    std::sort(ports.begin(), ports.end());
    std::vector<std::string> ps;
    for (auto p : ports) ps.push_back("port " + std::to_string(p));
    parts.push_back(fmt::format("(host {} and ({}))", ip, fmt::join(ps, " or ")));
  }
  std::string f = "tcp";
  if (!parts.empty()) f += fmt::format(" and ({})", fmt::join(parts, " or "));
  if (!user.empty()) f += " and (" + user + ")";
  return f;
}

bool RunEvidence::saw_syn(const std::string& local, const std::string& remote) const {
  auto l = parse_endpoint(local), r = parse_endpoint(remote);
  if (!l || !r) return false;
  return std::any_of(analysis.flows.begin(), analysis.flows.end(), [&](const FlowRecord& f) {
    return f.syn_seen && f.client == *l && f.server == *r;
  });
}

std::shared_ptr<RunEvidence> RunEvidence::failed(std::string why, bool permission_denied) {
  auto e = std::make_shared<RunEvidence>();
  e->error = std::move(why);
  e->permission_denied = permission_denied;
  return e;
}

std::unique_ptr<RunCapture> RunCapture::start(const CaptureConfig& cfg,
                                              const std::vector<CaptureTarget>& targets) {
  std::unique_ptr<RunCapture> rc(new RunCapture());
  rc->cfg_ = cfg;
  rc->filter_ = plan_filter(targets, cfg.filter);
  LiveConfig lc;
  lc.interface = cfg.interface;
  lc.netns = cfg.netns;
  lc.filter = rc->filter_;
  lc.file = cfg.file;
  AnalyzerOptions ao;
  ao.api_ports = cfg.api_ports;
  ao.tls_ports = cfg.tls_ports;
  rc->live_ = std::make_unique<LiveCapture>(lc, std::move(ao));
  rc->live_->start();
  return rc;
}

RunCapture::~RunCapture() = default;

std::shared_ptr<RunEvidence> RunCapture::stop() {
  auto ev = std::make_shared<RunEvidence>();
  ev->interface = cfg_.interface;
  ev->netns = cfg_.netns;
  ev->filter = filter_;
  ev->file = cfg_.file;
  if (!live_) {
    ev->error = "the capture was not running";
    return ev;
  }
  // Until every connection the capture saw established has ended in it: the
  // last probe's FIN or RST and the peer's answer reach the capture about a
  // round trip after the close. The count is read only once the capture has
  // read what the kernel held at this point; after that it can only be
  // behind on ends, which waits longer, never stops early.
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto until = t0 + cfg_.drain;
  constexpr auto kPoll = std::chrono::milliseconds(5);
  if (live_->catch_up(until))
    while (live_->open_connections() > 0 && Clock::now() < until)
      std::this_thread::sleep_for(std::min<Clock::duration>(kPoll, until - Clock::now()));
  ev->open_at_stop = live_->open_connections();
  ev->drained = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  try {
    LiveResult r = live_->finish();
    ev->counters = r.counters;
    ev->link_type = r.link_type;
    ev->analysis = std::move(r.analysis);
    if (!r.error.empty()) ev->error = "the capture failed part-way: " + r.error;
  } catch (const std::exception& e) {
    ev->error = std::string("the capture failed: ") + e.what();
  }
  live_.reset();
  return ev;
}

}  // namespace vantage::capture
