// The routeros-api probe's observation: detection, legacy login, login,
// read/write, pre-login and max-sessions, every sentence recorded.
#include <fmt/format.h>

#include <thread>

#include "core/redact.hpp"
#include "net/sockaddr.hpp"
#include "probes/routeros_api_probe.hpp"

namespace vantage::probes {

using routeros::Sentence;
using End = ApiChannel::End;

namespace {

// Every string in the observation that holds what the router sent (or what
// vantage derived from it) goes through the check's redactor, cut first to a
// bound that keeps reports readable. The verdict and every report are built
// from these fields afterwards, so none can carry a secret the router echoed.
void redact_network_text(ApiObservation& o, const Redactor& r) {
  constexpr std::size_t kLen = 512;
  for (std::string* f :
       {&o.contact_detail, &o.first_reply, &o.legacy_detail, &o.identity, &o.pre_login_seen,
        &o.login.message, &o.read.message, &o.write.message, &o.write.attempted, &o.error})
    *f = r.redact(*f, kLen);
  for (auto& u : o.unknowns) u = r.redact(u, kLen);
  for (auto& w : o.warnings) w = r.redact(w, kLen);
  if (o.sessions) {
    o.sessions->extra_seen = r.redact(o.sessions->extra_seen, kLen);
    o.sessions->note = r.redact(o.sessions->note, kLen);
  }
  if (o.control) o.control->seen = r.redact(o.control->seen, kLen);
}

constexpr const char* kAnonymousWithheld =
    "not sent: the TLS session is anonymous (the peer showed no certificate: api-ssl with "
    "certificate=none, or a man in the middle), so vantage never hands it a password; give "
    "api-ssl a certificate and set ca_file";

// RouterOS refuses a command the user's group lacks a policy for with
// `!trap =message=not enough permissions (9)` (routeros-facts.md). Only that
// is a denial; any other trap or a !fatal is a failure of the test itself.
bool permission_denied(const ApiChannel::Reply& r) {
  for (const auto& s : r.sentences)
    if (s.command() == "!trap")
      if (auto m = s.attr("message"); m && m->find("not enough permissions") != std::string::npos)
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

// One API connection and its channel.
struct Session {
  AppConnection conn;
  std::unique_ptr<ApiChannel> ch;
  int no = 0;
  bool open = false;  // usable for another request
  bool logged_in = false;
  Clock::duration took{};  // how long connect() took (TCP, settle, TLS)
};

class Runner {
 public:
  Runner(const ProbeContext& ctx, const RouterosApiSpec& spec, ApiObservation& obs,
         const net::SockAddr& dst)
      : ctx_(ctx), spec_(spec), obs_(obs), dst_(dst) {}

  // Connects (TLS when asked); the transcript records how.
  Session connect(Deadline dl, bool first, bool settle = false, const TlsSettings* tls = nullptr) {
    Session s;
    s.no = ++conns_;
    const auto t0 = Clock::now();
    ConnectParams cp;
    cp.tls = tls ? tls : &spec_.tls;
    // The settle window tells a refusing service's reset from its close; only
    // the first connection (and the over-limit session) needs to tell.
    cp.settle = first || settle ? spec_.settle : std::chrono::milliseconds(0);
    cp.attempts = first ? ctx_.check.attempts : 1;
    s.conn = app_connect(ctx_, dst_, cp, dl);
    s.took = Clock::now() - t0;
    std::string text =
        fmt::format("connect {} -> {}: {}", s.conn.local.empty() ? "?" : s.conn.local,
                    s.conn.remote, to_string(s.conn.contact));
    if (!s.conn.detail.empty()) text += " (" + s.conn.detail + ")";
    if (!s.conn.tls_version.empty())
      text += fmt::format(", {} {}{}", s.conn.tls_version, s.conn.tls_cipher,
                          s.conn.anonymous ? " (anonymous DH: unauthenticated)" : "");
    obs_.transcript.event(s.no, text);
    if (s.conn.contact == Contact::kOpen) {
      s.ch = std::make_unique<ApiChannel>(*s.conn.stream, obs_.transcript, s.no);
      s.open = true;
    }
    return s;
  }

  // Sends one sentence and reads its reply; marks the session closed when the
  // reply did not end in !done.
  ApiChannel::Reply call(Session& s, const Sentence& req, Deadline dl) {
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

  Sentence detection() const {
    return Sentence{"/login", std::string("=name=") + kDummyUser, "=password="};
  }

  // Real login; fills `step` when given. Never over an anonymous TLS session.
  bool login(Session& s, const std::string& password, ApiStep* step, Deadline dl) {
    ApiStep st;
    if (s.conn.anonymous) {
      st.outcome = StepOutcome::kError;
      st.message = kAnonymousWithheld;
      obs_.transcript.event(s.no, "login not sent: the TLS session is anonymous");
      if (step) *step = st;
      return false;
    }
    auto r = call(
        s, Sentence{"/login", "=name=" + spec_.credentials->user, "=password=" + password}, dl);
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

  void run(const std::optional<std::string>& password);

  // A plain probe sent to api-ssl is closed without a word, and a ClientHello
  // sent to plain api can meet silence: neither may pass for an address
  // restriction. These ask the port the other way round.
  bool speaks_tls(Deadline dl) {
    TlsSettings t;
    t.enabled = true;
    t.ciphers = "ALL:@SECLEVEL=0";  // anything, anonymous DH included
    Session s = connect(dl, false, false, &t);
    return s.conn.contact == Contact::kOpen || s.conn.detail.find(", alert ") != std::string::npos;
  }
  bool speaks_plain_api(Deadline dl) {
    TlsSettings plain;
    Session s = connect(dl, false, false, &plain);
    if (!s.open) return false;
    auto r = call(s, detection(), dl);
    return !r.sentences.empty();
  }

 private:
  bool detect(Session& s, Deadline window);
  void silence(std::chrono::milliseconds waited);
  void run_control(std::chrono::milliseconds window);
  void legacy(Session& s);
  void least_privilege(Session& s);
  void pre_login(Session& s);
  void sessions(const std::optional<std::string>& password);

  const ProbeContext& ctx_;
  const RouterosApiSpec& spec_;
  ApiObservation& obs_;
  net::SockAddr dst_;
  int conns_ = 0;
};

bool Runner::detect(Session& s, Deadline window) {
  const auto t0 = Clock::now() - s.took;
  obs_.contact = s.conn.contact;
  obs_.contact_detail = s.conn.detail;
  obs_.local_address = s.conn.local_ip;
  obs_.tls_version = s.conn.tls_version;
  obs_.tls_cipher = s.conn.tls_cipher;
  obs_.anonymous_tls = s.conn.anonymous;
  obs_.verified_tls = s.conn.verified;
  if (!s.conn.source_mismatch.empty()) {
    obs_.error = s.conn.source_mismatch;
    return false;
  }
  auto waited = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  };
  switch (s.conn.contact) {
    case Contact::kOpen:
      break;
    case Contact::kSetupError:
    case Contact::kTlsFailed:
      obs_.error = s.conn.detail;
      return false;
    case Contact::kSilent:
      // A TLS handshake that timed out. With a control, the control tells
      // whether the port speaks TLS at all; without one, ask it in plain API.
      if (spec_.tls.enabled && !spec_.silent_allowed() && speaks_plain_api(ctx_.deadline)) {
        obs_.error =
            "the port answers the plain RouterOS API, not TLS: set \"tls\": false (this is the "
            "api service, not api-ssl)";
        return false;
      }
      obs_.access = "no-api";
      silence(waited());
      return false;
    default:
      obs_.access = "no-api";
      return false;
  }
  obs_.detection_sent = true;
  auto r = call(s, detection(), spec_.silent_allowed() ? window : ctx_.deadline);
  if (r.sentences.empty()) {
    switch (r.end) {
      case End::kNotApi:
        obs_.access = "not-api";
        obs_.contact_detail = r.detail;
        break;
      case End::kEof:
      case End::kReset:
      case End::kTimeout:
        if (s.ch->bytes_received() == 0) {
          if (!spec_.tls.enabled && r.end != End::kTimeout &&
              speaks_tls(Deadline::in(std::chrono::milliseconds(1500)).earlier(ctx_.deadline))) {
            obs_.access = "not-api";
            obs_.contact_detail =
                "it closed the connection on a plain API request, and answers TLS: the port "
                "speaks TLS (api-ssl?), set \"tls\": true to probe it";
            return false;
          }
          obs_.access = "no-api";
          obs_.contact_detail = "no answer to /login: " + r.detail;
          if (r.end == End::kTimeout) {
            obs_.contact = Contact::kSilent;
            silence(waited());
            break;
          }
          // Closed after the /login, not within the settle window: a refusal
          // at accept only if a quiet connection is refused too; otherwise
          // the service went silent and then gave up, which is silence.
          if (AppConnection quiet; refused_when_quiet(ctx_, dst_, ConnectParams{}, ctx_.deadline, quiet)) {
            obs_.contact = quiet.contact;
            obs_.contact_detail += "; " + quiet.detail;
          } else {
            obs_.contact = Contact::kSilent;
            obs_.contact_detail +=
                ", and only after a silence: a connection that sent nothing was not refused";
            silence(waited());
          }
          break;
        }
        [[fallthrough]];
      default:
        obs_.error = "the answer to /login broke off: " + r.detail;
        break;
    }
    return false;
  }
  if (r.end == End::kProtocol) {
    // API framing that breaks the limits or the grammar: hostile or broken.
    obs_.error = "the answer to /login broke the API protocol: " + r.detail;
    return false;
  }
  obs_.access = "api";
  obs_.first_reply = r.first_text();
  if (r.first() == "!done") {
    if (auto ret = r.sentences.front().attr("ret")) {
      obs_.legacy_login = true;
      obs_.legacy_detail = "/login answered with !done =ret=" + *ret;
    } else {
      obs_.dummy_login_accepted = true;
      s.logged_in = true;
      obs_.warnings.push_back(std::string("the router accepted a login as the dummy user ") +
                              kDummyUser + " with an empty password");
    }
  }
  return true;
}

// The port accepted and then said nothing for `waited`. That is what a
// refusing service can look like, and also a slow board, a loaded router,
// loss or a tarpit: it proves a restriction only when the scenario opted in
// and the control from an allowed source was answered in the same time.
void Runner::silence(std::chrono::milliseconds waited) {
  if (spec_.silent_allowed()) {
    run_control(waited);
    if (obs_.control && obs_.control->ok) return;
    obs_.unknowns.push_back(fmt::format(
        "this source heard nothing for {} ms, and the control from {} was not answered with "
        "`!fatal not logged in` in that time either ({}): the service may be slow or unreachable, "
        "so the silence proves no restriction",
        waited.count(), spec_.control->name, obs_.control ? obs_.control->seen : "not run"));
    return;
  }
  obs_.unknowns.push_back(fmt::format(
      "the port accepted the connection and then said nothing for {} ms: silence is not a "
      "refusal (a slow or loaded router, loss or a tarpit looks the same)",
      waited.count()));
}

// The positive control: from the allowed source, the same port (TLS when
// the check uses TLS) must answer a harmless pre-login sentence with
// `!fatal not logged in` within the time the silent connection was given.
// It never logs in and sends no credential.
void Runner::run_control(std::chrono::milliseconds window) {
  ApiObservation::Control c;
  c.source = spec_.control->name;
  c.window_ms = static_cast<long>(window.count());
  const auto t0 = Clock::now();
  const Deadline dl = Deadline::in(window).earlier(ctx_.deadline);
  ProbeContext cctx = ctx_;
  cctx.source = &*spec_.control;
  ConnectParams cp;
  cp.tls = &spec_.tls;
  cp.settle = std::chrono::milliseconds(0);
  cp.attempts = 1;
  const int no = ++conns_;
  AppConnection conn = app_connect(cctx, dst_, cp, dl);
  obs_.transcript.event(
      no, fmt::format("control from {}: connect {} -> {}: {}{}", c.source,
                      conn.local.empty() ? "?" : conn.local, conn.remote, to_string(conn.contact),
                      conn.detail.empty() ? "" : " (" + conn.detail + ")"));
  if (conn.contact != Contact::kOpen) {
    c.seen = std::string(to_string(conn.contact)) +
             (conn.detail.empty() ? "" : " (" + conn.detail + ")");
  } else {
    ApiChannel ch(*conn.stream, obs_.transcript, no);
    net::IoResult io;
    ApiChannel::Reply r;
    if (ch.send(Sentence{"/system/identity/print"}, dl, io)) r = ch.read_reply(dl);
    c.seen = !r.sentences.empty() ? r.first_text()
                                  : std::string("no answer: ") +
                                        (r.detail.empty() ? net::to_string(io.status) : r.detail);
    c.ok = r.first() == "!fatal" && r.message().find("not logged in") != std::string::npos &&
           !dl.expired();
  }
  c.took_ms = ms_since(t0);
  obs_.control = c;
}

void Runner::legacy(Session& s) {
  if (obs_.legacy_login || !s.open || s.logged_in) return;
  auto r = call(s, Sentence{"/login"}, ctx_.deadline);
  if (r.first() == "!done" && r.sentences.front().attr("ret")) {
    obs_.legacy_login = true;
    obs_.legacy_detail = "bare /login answered with !done =ret=" + *r.sentences.front().attr("ret");
  } else if (!r.sentences.empty()) {
    obs_.legacy_login = false;
    obs_.legacy_detail = r.first_text();
  } else {
    obs_.legacy_detail = "no answer to a bare /login: " + r.detail;
  }
}

void Runner::least_privilege(Session& s) {
  auto r = call(s, Sentence{"/system/identity/print"}, ctx_.deadline);
  if (r.first() == "!re" && r.end == End::kDone) {
    if (auto name = r.sentences.front().attr("name")) {
      obs_.read.outcome = StepOutcome::kOk;
      obs_.identity = *name;
    } else {
      obs_.read.outcome = StepOutcome::kError;
      obs_.read.message = "/system/identity/print returned no name";
    }
  } else if (permission_denied(r)) {
    obs_.read.outcome = StepOutcome::kDenied;
    obs_.read.message = r.message();
  } else if (r.trapped()) {
    obs_.read.outcome = StepOutcome::kError;
    obs_.read.message =
        "/system/identity/print was refused, but not for permissions: `" + r.first_text() + "`";
  } else {
    obs_.read.outcome = StepOutcome::kError;
    obs_.read.message =
        "/system/identity/print: " + (r.sentences.empty() ? r.detail : r.first_text());
  }
  if (!spec_.write) return;
  if (obs_.read.outcome != StepOutcome::kOk || !s.open) {
    obs_.write.outcome = StepOutcome::kError;
    obs_.write.message =
        "not attempted: the write test only ever writes back the identity it has just read, and "
        "the read failed";
    return;
  }
  obs_.write.attempted = "/system/identity/set =name=" + obs_.identity +
                         " (the value just read, so the router does not change)";
  auto w = call(s, Sentence{"/system/identity/set", "=name=" + obs_.identity}, ctx_.deadline);
  if (permission_denied(w)) {
    obs_.write.outcome = StepOutcome::kDenied;
    obs_.write.message = w.message();
  } else if (w.trapped()) {
    obs_.write.outcome = StepOutcome::kError;
    obs_.write.message = "the write was refused, but not for permissions: `" + w.first_text() + "`";
  } else if (w.first() == "!done") {
    obs_.write.outcome = StepOutcome::kOk;
  } else {
    obs_.write.outcome = StepOutcome::kError;
    obs_.write.message = "no answer to the write: " + w.detail;
  }
}

void Runner::pre_login(Session& s) {
  auto r = call(s, Sentence{"/system/identity/print"}, ctx_.deadline);
  if (r.first() == "!fatal") {
    obs_.pre_login_fatal = true;
    obs_.pre_login_seen = r.first_text();
    // The router closes after !fatal: record whether it did.
    auto after =
        s.ch->read_reply(Deadline::in(std::chrono::milliseconds(500)).earlier(ctx_.deadline));
    obs_.pre_login_seen +=
        after.sentences.empty() && (after.end == End::kEof || after.end == End::kReset)
            ? ", then the connection closed"
            : ", and the connection stayed open";
  } else if (!r.sentences.empty()) {
    obs_.pre_login_fatal = false;
    obs_.pre_login_seen = r.first_text();
  } else if (r.end == End::kEof || r.end == End::kReset) {
    obs_.pre_login_fatal = false;
    obs_.pre_login_seen = "the connection ended without a reply (" + r.detail + ")";
  } else {
    obs_.pre_login_seen = "no answer: " + r.detail;
  }
  s.open = false;
}

void Runner::sessions(const std::optional<std::string>& password) {
  ApiObservation::Sessions out;
  out.limit = *spec_.max_sessions;
  const bool real_login = password.has_value();
  // The extra session needs a real answer, so part of the budget is kept for
  // it: the held sessions must be open by `hold_dl`, or nothing is claimed.
  const auto reserve =
      std::max<std::chrono::milliseconds>(std::chrono::milliseconds(300), ctx_.check.timeout / 5);
  const Deadline hold_dl(ctx_.deadline.at() - reserve);
  // A holder counts when the service served it: logged in, or answered detection.
  auto hold = [&](Session& s) {
    if (!s.open) return false;
    if (real_login) return login(s, *password, nullptr, hold_dl);
    auto r = call(s, detection(), hold_dl);
    return !r.sentences.empty() && r.end == End::kDone;
  };
  std::vector<Session> held;
  for (int i = 0; i < out.limit && !hold_dl.expired(); ++i) {
    Session s = connect(hold_dl, false);
    bool ok = hold(s);
    if (!ok && !hold_dl.expired()) {
      // The router may not have reaped the probe's earlier connections yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      s = connect(hold_dl, false);
      ok = hold(s);
    }
    if (!ok) {
      out.note = fmt::format(
          "session {} of {} was not served ({}{}): the router allows fewer sessions than "
          "max_sessions, other sessions are open, or it is too slow for the {} ms budget",
          i + 1, out.limit, to_string(s.conn.contact), hold_dl.expired() ? ", out of time" : "",
          ctx_.check.timeout.count());
      obs_.sessions = out;
      return;
    }
    held.push_back(std::move(s));
  }
  out.held = static_cast<int>(held.size());
  if (out.held < out.limit) {
    out.note = fmt::format(
        "only {} of {} sessions were open when the time kept for the extra session ({} ms) "
        "began: raise timeout_ms",
        out.held, out.limit, reserve.count());
    obs_.sessions = out;
    return;
  }
  const Deadline extra_dl = Deadline::in(std::chrono::milliseconds(2000)).earlier(ctx_.deadline);
  const auto t0 = Clock::now();
  Session x = connect(extra_dl, false, true);
  auto unknown = [&](const std::string& seen) {
    out.extra_seen = seen;
    out.note = fmt::format(
        "the extra session got no answer that refuses it ({}) in {} ms: silence, a filtered "
        "connect or a failed handshake is not a refusal",
        seen, ms_since(t0));
  };
  switch (x.conn.contact) {
    case Contact::kOpen:
      break;
    case Contact::kTcpClosed:
    case Contact::kResetAfterAccept:
    case Contact::kCloseAfterAccept:
      // RST to the SYN, or accept-then-reset/close: the service's answer.
      out.extra_seen = std::string(to_string(x.conn.contact)) + " (" + x.conn.detail + ")";
      out.enforced = true;
      break;
    default:
      unknown(std::string(to_string(x.conn.contact)) + " (" + x.conn.detail + ")");
      break;
  }
  if (x.conn.contact == Contact::kOpen) {
    auto r = call(x, detection(), extra_dl);
    if (r.first() == "!fatal") {
      out.extra_seen = "refused: " + r.first_text();
      out.enforced = true;
    } else if (!r.sentences.empty()) {
      out.extra_seen = "served: " + r.first_text();
      out.enforced = false;
    } else if ((r.end == End::kEof || r.end == End::kReset) && x.ch->bytes_received() == 0) {
      out.extra_seen =
          std::string(r.end == End::kEof ? "closed-after-accept" : "reset-after-accept") + " (" +
          r.detail + ")";
      out.enforced = true;
    } else {
      unknown(r.end == End::kTimeout ? "silent-after-accept (" + r.detail + ")" : r.detail);
    }
  }
  obs_.sessions = out;
}

void Runner::run(const std::optional<std::string>& password) {
  // With silence opted in, keep as much time for the control as the first
  // connection gets; over TLS, keep part of it for asking a silent port in
  // plain API.
  Deadline first_dl = ctx_.deadline;
  if (spec_.silent_allowed())
    first_dl = share_of(ctx_.deadline, 45);
  else if (spec_.tls.enabled)
    first_dl = share_of(ctx_.deadline, 60);
  Session a = connect(first_dl, true);
  if (!detect(a, first_dl)) return;
  legacy(a);
  std::optional<Session> b;
  if (password) {
    Session* s = &a;
    if (!a.open || a.logged_in) {
      b = connect(ctx_.deadline, false);
      s = &*b;
    }
    if (!s->open) {
      obs_.login.outcome = StepOutcome::kError;
      obs_.login.message = "could not open a session for the login: " + s->conn.detail;
    } else if (login(*s, *password, &obs_.login, ctx_.deadline)) {
      least_privilege(*s);
    }
  }
  // Pre-login on a connection that has not logged in.
  Session* p = (a.open && !a.logged_in) ? &a : nullptr;
  std::optional<Session> c;
  if (!p && !ctx_.deadline.expired()) {
    a = Session{};  // done with them: free the router's sessions first
    b.reset();
    c = connect(ctx_.deadline, false);
    p = &*c;
  }
  if (p && p->open)
    pre_login(*p);
  else
    obs_.pre_login_seen = "could not open a connection for the pre-login test";
  a = Session{};
  b.reset();
  c.reset();
  if (spec_.max_sessions && !ctx_.deadline.expired()) sessions(password);
}

}  // namespace

std::unique_ptr<Observation> RouterosApiProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<ApiObservation>();
  const auto& spec = static_cast<const RouterosApiSpec&>(ctx.spec);
  obs->port = ctx.check.port;
  obs->tls = spec.tls.enabled;
  obs->source_name = ctx.source ? ctx.source->name : "";
  auto dst = ctx.destination(ctx.check.port);
  if (!dst) {
    obs->error = "cannot resolve target host " + ctx.target.host;
    return obs;
  }
  obs->remote = dst->to_string();
  std::optional<std::string> password;
  if (spec.credentials) {
    std::string err;
    password = read_password(*spec.credentials, err);
    if (!password) {
      obs->error = err;
      return obs;
    }
  }
  Redactor redactor;
  if (password) redactor.add_credentials(spec.credentials->user, *password);
  obs->transcript.set_redactor(redactor);
  Runner(ctx, spec, *obs, *dst).run(password);
  redact_network_text(*obs, redactor);
  if (password && !spec.tls.enabled && obs->login.outcome != StepOutcome::kNotAttempted)
    obs->warnings.push_back("the password of " + spec.credentials->user +
                            " crossed the wire in clear text over plain API "
                            "(allow_plaintext_credentials is set)");
  if (password && spec.tls.enabled && obs->login.outcome != StepOutcome::kNotAttempted &&
      !obs->verified_tls)
    obs->warnings.push_back(obs->anonymous_tls
                                ? "credentials were sent over anonymous-DH TLS (certificate=none): "
                                  "encrypted but unauthenticated, a man in the middle can read them"
                                : "credentials were sent over TLS without certificate verification "
                                  "(set ca_file to verify the router)");
  if (obs->access == "api")
    obs->summary = "api: `" + obs->first_reply + "`";
  else if (obs->access == "no-api")
    obs->summary = std::string("no-api (") + to_string(obs->contact) + ")";
  else if (obs->access == "not-api")
    obs->summary = "not-api (" + obs->contact_detail + ")";
  else
    obs->summary = "error: " + obs->error;
  return obs;
}

}  // namespace vantage::probes
