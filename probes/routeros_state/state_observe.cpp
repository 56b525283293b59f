// The routeros-state probe's observation: one verified api-ssl session, a
// login with the routeros-api rules, then `print` of each menu the aspect
// needs, each bounded in sentences, bytes and time. Nothing else is sent.
#include <fmt/format.h>

#include <thread>

#include "core/redact.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"
#include "tls/certificate.hpp"
#include "tls/tls_stream.hpp"

namespace vantage::probes {

namespace {

using routeros::Sentence;
using End = ApiChannel::End;

// More rows than any menu of a managed router holds (the log keeps 1000 by
// default); reaching it means the read was cut short.
constexpr std::size_t kMaxRows = 4000;

std::string iso(std::chrono::system_clock::time_point t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// `print` of one menu, row by row until !done. Anything else leaves the menu
// unread and says why in `why`.
Menu read_menu(routeros::Channel& ch, const std::string& path, Deadline dl, std::string& why) {
  Menu m;
  net::IoResult io;
  if (!ch.send(Sentence{path + "/print"}, dl, io)) {
    why = std::string("send failed: ") + net::to_string(io.status);
    return m;
  }
  Sentence s;
  End end{};
  std::string detail;
  while (m.rows.size() <= kMaxRows) {
    if (!ch.next(s, dl, end, detail)) {
      why = std::string(routeros::to_string(end)) + (detail.empty() ? "" : ": " + detail);
      return m;
    }
    const auto& c = s.command();
    if (c == "!re") {
      Row r;
      for (auto& [k, v] : s.attrs()) r[k] = v;
      m.rows.push_back(std::move(r));
    } else if (c == "!done") {
      m.read = true;
      return m;
    } else if (c == "!trap" || c == "!fatal") {
      auto msg = s.attr("message");
      why = c + " " + (msg ? *msg : std::string());
      return m;
    }
  }
  why = fmt::format("more than {} rows: the read was cut short", kMaxRows);
  return m;
}

// The router's clock against this host's, measured around one /system/clock print.
void measure_clock(routeros::Channel& ch, RouterState& st, Deadline dl, std::string& why) {
  const auto t0 = std::chrono::system_clock::now();
  Menu m = read_menu(ch, "/system/clock", dl, why);
  const auto t1 = std::chrono::system_clock::now();
  st.menus["/system/clock"] = m;
  if (!m.read || m.rows.empty()) return;
  const Row& r = m.rows.front();
  auto get = [&](const char* k) { return r.count(k) ? r.at(k) : std::string(); };
  st.router_clock = get("date") + " " + get("time") + " " + get("gmt-offset");
  auto rt = router_time(get("date"), get("time"), get("gmt-offset"));
  if (!rt) {
    why = "unparsable clock: " + st.router_clock;
    return;
  }
  const auto mid =
      std::chrono::duration_cast<std::chrono::seconds>((t0 + (t1 - t0) / 2).time_since_epoch());
  st.skew = std::chrono::seconds(*rt) - mid;
}

// Records what was sent and how reads ended (not every row: a log print would
// crowd the transcript); quotes masked by the transcript's redactor.
struct Recorder final : routeros::Channel::Observer {
  explicit Recorder(Transcript& t) : transcript(t) {}
  void sent(const Sentence& s) override { transcript.sent(1, s); }
  void event(const std::string& text) override { transcript.event(1, text); }
  std::string quote(const std::string& word) const override { return transcript.redact(word); }
  Transcript& transcript;
};

}  // namespace

const std::vector<Row>* RouterState::rows(const std::string& path) const {
  auto it = menus.find(path);
  return it == menus.end() || !it->second.read ? nullptr : &it->second.rows;
}

std::vector<std::string> menus_for(Aspect a) {
  switch (a) {
    case Aspect::kServices: return {"/ip/service"};
    case Aspect::kUsers: return {"/user", "/user/group"};
    case Aspect::kFirewall: return {"/ip/firewall/filter", "/ip/firewall/address-list"};
    case Aspect::kCertificate: return {"/ip/service", "/certificate"};
    case Aspect::kVersion: return {"/system/resource", "/system/package/update"};
    case Aspect::kCorrelation:
      return {"/ip/service", "/ip/firewall/filter", "/ip/firewall/address-list", "/log"};
  }
  return {};
}

std::unique_ptr<Observation> RouterosStateProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<StateObservation>();
  const auto& spec = static_cast<const RouterosStateSpec&>(ctx.spec);
  obs->port = ctx.check.port;
  obs->tls = spec.tls.enabled;
  obs->source_name = ctx.source ? ctx.source->name : "";
  // The run's record first: this probe's own connection is not part of it.
  obs->run_conns = ctx.run.connections();
  if (!obs->run_conns.empty()) obs->run_started = iso(obs->run_conns.front().at);
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
  obs->remote = dst->to_string();
  std::string err;
  auto password = read_password(*spec.credentials, err);
  if (!password) {
    obs->error = err;
    return obs;
  }
  Redactor redactor;
  redactor.add_credentials(spec.credentials->user, *password);
  obs->transcript.set_redactor(redactor);

  ConnectParams cp;
  cp.tls = &spec.tls;
  cp.settle = std::chrono::milliseconds(0);
  cp.attempts = ctx.check.attempts;
  // This connection is made after the capture stopped (Phase::kAfterAll):
  // it stays out of the run's record, which the capture self-validates
  // against (every recorded SYN must be in the pcap).
  RunState own;
  const ProbeContext octx{ctx.target,   ctx.source, ctx.check,  ctx.spec,
                          ctx.deadline, own,        ctx.address};
  AppConnection conn = app_connect(octx, *dst, cp, ctx.deadline);
  obs->take(conn);
  obs->transcript.event(
      1, fmt::format("connect {} -> {}: {}{}", conn.local, conn.remote, to_string(conn.contact),
                     conn.detail.empty() ? "" : " (" + conn.detail + ")"));
  if (conn.contact != Contact::kOpen) {
    obs->error = fmt::format("could not open the session: {} {}", to_string(conn.contact),
                             redactor.redact(conn.detail, 512));
    return obs;
  }
  if (conn.anonymous) {  // the routeros-api rule: never a password to an anonymous peer
    obs->error =
        "login not sent: the TLS session is anonymous (api-ssl with certificate=none, or a man "
        "in the middle); give api-ssl a certificate and set ca_file";
    return obs;
  }
  if (auto* t = dynamic_cast<tls::TlsStream*>(conn.stream.get())) {
    auto chain = t->peer_chain();
    if (!chain.empty()) {
      auto info = tls::describe(chain.front().get(), std::time(nullptr));
      obs->state.wire_sha256 = info.sha256;
      obs->state.wire_not_after = info.not_after;
    }
  }
  Recorder rec(obs->transcript);
  routeros::Channel ch(*conn.stream, probe_limits(), &rec);
  net::IoResult io;
  routeros::Channel::Reply r;
  if (ch.send(Sentence{"/login", "=name=" + spec.credentials->user, "=password=" + *password},
              ctx.deadline, io))
    r = ch.read_reply(ctx.deadline);
  if (r.first() != "!done" || r.sentences.front().attr("ret")) {
    obs->error = "login as " + spec.credentials->user + " failed: " +
                 redactor.redact(r.sentences.empty() ? r.detail : r.first_text(), 512);
    return obs;
  }
  ch.set_logged_in();
  if (!obs->verified_tls)
    obs->warnings.push_back(
        "credentials were sent over TLS without certificate verification (set ca_file)");
  for (const auto& path : menus_for(spec.aspect)) {
    std::string why;
    Menu m = read_menu(ch, path, ctx.deadline, why);
    if (!m.read)
      obs->unknowns.push_back(
          redactor.redact(fmt::format("{} was not read whole: {}", path, why), 512));
    obs->state.menus[path] = std::move(m);
  }
  if (spec.aspect == Aspect::kCorrelation) {
    std::string why;
    measure_clock(ch, obs->state, ctx.deadline, why);
    if (!obs->state.skew) obs->unknowns.push_back("the router's clock could not be read: " + why);
    // A router logs a drop a moment after it: the last probes' lines may not
    // be in the log yet. Read it again while lines are missing, for at most
    // kLogPatience (a missing line is a finding, so it must not be an early
    // look).
    constexpr auto kLogPatience = std::chrono::seconds(2);
    constexpr auto kLogPoll = std::chrono::milliseconds(250);
    const Deadline patience = Deadline::in(kLogPatience).earlier(ctx.deadline);
    auto logged_all = [&] {
      const Correlation c = judge_correlation(spec, *obs);
      for (const auto& f : c.findings)
        if (f.kind == "unlogged detection login") return false;
      return c.matched >= c.outside;
    };
    int rereads = 0;
    while (obs->state.skew && obs->state.rows("/log") && !logged_all() &&
           patience.poll_ms() > kLogPoll.count()) {
      std::this_thread::sleep_for(kLogPoll);
      std::string log_why;
      Menu m = read_menu(ch, "/log", ctx.deadline, log_why);
      if (!m.read) break;  // the first read's record stands
      obs->state.menus["/log"] = std::move(m);
      ++rereads;
    }
    if (rereads > 0)
      obs->transcript.event(
          1, fmt::format("/log read {} more times for lines not yet there", rereads));
  }
  obs->summary =
      fmt::format("read {} menus as {}", obs->state.menus.size(), spec.credentials->user);
  return obs;
}

}  // namespace vantage::probes
