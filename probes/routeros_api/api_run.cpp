// The steps the routeros-api sub-tests share: connect, one request, login,
// and what a silence proves (with the positive control).
#include "probes/routeros_api/api_run.hpp"

#include <fmt/format.h>

namespace vantage::probes::api {

namespace {

constexpr const char* kAnonymousWithheld =
    "not sent: the TLS session is anonymous (the peer showed no certificate: api-ssl with "
    "certificate=none, or a man in the middle), so vantage never hands it a password; give "
    "api-ssl a certificate and set ca_file";

}  // namespace

// RouterOS refuses a command the user's group lacks a policy for with
// `!trap =message=not enough permissions (9)` (routeros-facts.md). Only that
// is a denial; any other trap or a !fatal is a failure of the test itself.
bool permission_denied(const ApiChannel::Reply& r) {
  for (const auto& s : r.sentences)
    if (s.command() == "!trap")
      if (auto m = s.attr("message");
          m && m->find(routeros::kNotEnoughPermissions) != std::string::npos)
        return true;
  return false;
}

// A share of what is left of `dl`.
Deadline share_of(Deadline dl, int percent) {
  const auto left = dl.at() - Clock::now();
  return Deadline(Clock::now() + left * percent / 100);
}

long ms_since(Clock::time_point t0) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
}

Session ApiRun::connect(Deadline dl, bool first, bool settle, const TlsSettings* tls) {
  Session s;
  s.no = ++conns;
  const auto t0 = Clock::now();
  ConnectParams cp;
  cp.tls = tls ? tls : &spec.tls;
  // No settle window by default: a close or reset in answer to what was sent
  // (a ClientHello, a /login) is confirmed by a quiet connection, which has
  // one (refused_when_quiet). Waiting it on every first connection cost each
  // check a window it rarely needs (650 ms on loopback, 1.3 s at 120 ms RTT).
  // The over-limit session needs its own: it sends nothing before the verdict.
  using std::chrono::milliseconds;
  cp.settle = settle  ? spec.settle.value_or(milliseconds(200))
              : first ? spec.settle.value_or(milliseconds(0))
                      : milliseconds(0);
  cp.attempts = first ? ctx.check.attempts : 1;
  s.conn = app_connect(ctx, dst, cp, dl);
  s.took = Clock::now() - t0;
  std::string text = fmt::format("connect {} -> {}: {}", s.conn.local.empty() ? "?" : s.conn.local,
                                 s.conn.remote, to_string(s.conn.contact));
  if (!s.conn.detail.empty()) text += " (" + s.conn.detail + ")";
  if (!s.conn.tls_version.empty())
    text += fmt::format(", {} {}{}", s.conn.tls_version, s.conn.tls_cipher,
                        s.conn.anonymous ? " (anonymous DH: unauthenticated)" : "");
  obs.transcript.event(s.no, text);
  if (s.conn.contact == Contact::kOpen) {
    s.ch = std::make_unique<ApiChannel>(*s.conn.stream, obs.transcript, s.no);
    s.open = true;
  }
  return s;
}

ApiChannel::Reply ApiRun::call(Session& s, const Sentence& req, Deadline dl) {
  net::IoResult io;
  ApiChannel::Reply r;
  if (!s.ch->send(req, dl, io)) {
    s.open = false;
    r.end = io.status == net::IoResult::Status::kReset     ? End::kReset
            : io.status == net::IoResult::Status::kEof     ? End::kEof
            : io.status == net::IoResult::Status::kTimeout ? End::kTimeout
                                                           : End::kIoError;
    r.detail = std::string("send failed: ") + net::to_string(io.status);
    return r;
  }
  r = s.ch->read_reply(dl);
  if (r.end != End::kDone) s.open = false;
  return r;
}

Sentence ApiRun::detection() const {
  return Sentence{"/login", std::string("=name=") + routeros::kDetectionUser, "=password="};
}

bool ApiRun::login(Session& s, const std::string& password, ApiStep* step, Deadline dl) {
  ApiStep st;
  if (s.conn.anonymous) {
    st.outcome = StepOutcome::kError;
    st.message = kAnonymousWithheld;
    obs.transcript.event(s.no, "login not sent: the TLS session is anonymous");
    if (step) *step = st;
    return false;
  }
  auto r =
      call(s, Sentence{"/login", "=name=" + spec.credentials->user, "=password=" + password}, dl);
  if (r.first() == "!done") {
    if (auto ret = r.sentences.front().attr("ret")) {
      st.outcome = StepOutcome::kError;
      st.message = "the router answered the login with a pre-6.43 challenge (=ret=" + *ret +
                   "): legacy firmware; vantage does not use the challenge login";
    } else {
      st.outcome = StepOutcome::kOk;
      s.logged_in = true;
      s.ch->set_logged_in();
    }
  } else if (r.first() == "!trap") {
    st.outcome = StepOutcome::kDenied;
    st.message = r.message();
  } else if (r.first() == "!fatal") {
    // RouterOS refuses a login with !trap; a !fatal ended the session for
    // another reason, which says nothing about the credentials.
    st.outcome = StepOutcome::kError;
    st.message =
        "the router ended the session instead of answering the login: `" + r.first_text() + "`";
  } else {
    st.outcome = StepOutcome::kError;
    st.message = "no answer to /login: " + r.detail;
  }
  if (step) *step = st;
  return st.outcome == StepOutcome::kOk;
}

bool ApiRun::speaks_tls(Deadline dl) {
  TlsSettings t;
  t.enabled = true;
  t.ciphers = "ALL:@SECLEVEL=0";  // anything, anonymous DH included
  Session s = connect(dl, false, false, &t);
  return s.conn.contact == Contact::kOpen || s.conn.detail.find(", alert ") != std::string::npos;
}

bool ApiRun::speaks_plain_api(Deadline dl) {
  TlsSettings plain;
  Session s = connect(dl, false, false, &plain);
  if (!s.open) return false;
  auto r = call(s, detection(), dl);
  return !r.sentences.empty();
}

// The port accepted and then said nothing for `waited`. That is what a
// refusing service can look like, and also a slow board, a loaded router,
// loss or a tarpit: it proves a restriction only when the scenario opted in
// and the control from an allowed source was answered in the same time.
void ApiRun::silence(std::chrono::milliseconds waited) {
  if (spec.silent_allowed()) {
    run_control(waited);
    if (obs.control && obs.control->ok) return;
    obs.unknowns.push_back(fmt::format(
        "this source heard nothing for {} ms, and the control from {} was not answered with "
        "`!fatal not logged in` in that time either ({}): the service may be slow or unreachable, "
        "so the silence proves no restriction",
        waited.count(), spec.control->name, obs.control ? obs.control->seen : "not run"));
    return;
  }
  obs.unknowns.push_back(fmt::format(
      "the port accepted the connection and then said nothing for {} ms: silence is not a "
      "refusal (a slow or loaded router, loss or a tarpit looks the same)",
      waited.count()));
}

// The positive control: from the allowed source, the same port (TLS when
// the check uses TLS) must answer a harmless pre-login sentence with
// `!fatal not logged in` within the time the silent connection was given.
// It never logs in and sends no credential.
void ApiRun::run_control(std::chrono::milliseconds window) {
  ApiObservation::Control c;
  c.source = spec.control->name;
  c.window_ms = static_cast<long>(window.count());
  const auto t0 = Clock::now();
  const Deadline dl = Deadline::in(window).earlier(ctx.deadline);
  ProbeContext cctx = ctx;
  cctx.source = &*spec.control;
  ConnectParams cp;
  cp.tls = &spec.tls;
  cp.settle = std::chrono::milliseconds(0);
  cp.attempts = 1;
  const int no = ++conns;
  AppConnection conn = app_connect(cctx, dst, cp, dl);
  obs.transcript.event(
      no, fmt::format("control from {}: connect {} -> {}: {}{}", c.source,
                      conn.local.empty() ? "?" : conn.local, conn.remote, to_string(conn.contact),
                      conn.detail.empty() ? "" : " (" + conn.detail + ")"));
  if (conn.contact != Contact::kOpen) {
    c.seen = std::string(to_string(conn.contact)) +
             (conn.detail.empty() ? "" : " (" + conn.detail + ")");
  } else {
    ApiChannel ch(*conn.stream, obs.transcript, no);
    net::IoResult io;
    ApiChannel::Reply r;
    if (ch.send(Sentence{"/system/identity/print"}, dl, io)) r = ch.read_reply(dl);
    c.seen = !r.sentences.empty() ? r.first_text()
                                  : std::string("no answer: ") +
                                        (r.detail.empty() ? net::to_string(io.status) : r.detail);
    c.ok = r.first() == "!fatal" && r.message().find(routeros::kNotLoggedIn) != std::string::npos &&
           !dl.expired();
  }
  c.took_ms = ms_since(t0);
  obs.control = c;
}

}  // namespace vantage::probes::api
