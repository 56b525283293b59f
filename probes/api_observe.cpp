// The routeros-api probe's observation: detection, legacy login, login,
// read/write, pre-login and max-sessions, every sentence recorded.
#include <fmt/format.h>

#include <thread>

#include "net/sockaddr.hpp"
#include "probes/routeros_api_probe.hpp"

namespace vantage::probes {

using routeros::Sentence;
using End = ApiChannel::End;

namespace {

// One API connection and its channel.
struct Session {
  AppConnection conn;
  std::unique_ptr<ApiChannel> ch;
  int no = 0;
  bool open = false;  // usable for another request
  bool logged_in = false;
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
    ConnectParams cp;
    cp.tls = tls ? tls : &spec_.tls;
    // The settle window tells a refusing service's reset from its close; only
    // the first connection (and the over-limit session) needs to tell.
    cp.settle = first || settle ? spec_.settle : std::chrono::milliseconds(0);
    cp.attempts = first ? ctx_.check.attempts : 1;
    s.conn = app_connect(ctx_, dst_, cp, dl);
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

  // Real login; fills `step` when given.
  bool login(Session& s, const std::string& password, ApiStep* step) {
    auto r =
        call(s, Sentence{"/login", "=name=" + spec_.credentials->user, "=password=" + password},
             ctx_.deadline);
    ApiStep st;
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
    } else if (r.first() == "!trap" || r.first() == "!fatal") {
      st.outcome = StepOutcome::kDenied;
      st.message = r.message();
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
  bool detect(Session& s);
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

bool Runner::detect(Session& s) {
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
  switch (s.conn.contact) {
    case Contact::kOpen:
      break;
    case Contact::kSetupError:
    case Contact::kTlsFailed:
      obs_.error = s.conn.detail;
      return false;
    case Contact::kSilent:
      if (spec_.tls.enabled && speaks_plain_api(ctx_.deadline)) {
        obs_.error =
            "the port answers the plain RouterOS API, not TLS: set \"tls\": false (this is the "
            "api service, not api-ssl)";
        return false;
      }
      obs_.access = "no-api";
      return false;
    default:
      obs_.access = "no-api";
      return false;
  }
  obs_.detection_sent = true;
  auto r = call(s, detection(), ctx_.deadline);
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
          obs_.contact = r.end == End::kEof     ? Contact::kCloseAfterAccept
                         : r.end == End::kReset ? Contact::kResetAfterAccept
                                                : Contact::kSilent;
          obs_.contact_detail = "no answer to /login: " + r.detail;
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
  } else if (r.trapped()) {
    obs_.read.outcome = StepOutcome::kDenied;
    obs_.read.message = r.message();
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
  if (w.trapped()) {
    obs_.write.outcome = StepOutcome::kDenied;
    obs_.write.message = w.message();
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
  // A holder counts when the service served it: logged in, or answered detection.
  auto hold = [&](Session& s) {
    if (!s.open) return false;
    if (real_login) return login(s, *password, nullptr);
    auto r = call(s, detection(), ctx_.deadline);
    return !r.sentences.empty() && r.end == End::kDone;
  };
  std::vector<Session> held;
  for (int i = 0; i < out.limit && !ctx_.deadline.expired(); ++i) {
    Session s = connect(ctx_.deadline, false);
    bool ok = hold(s);
    if (!ok) {
      // The router may not have reaped the probe's earlier connections yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      s = connect(ctx_.deadline, false);
      ok = hold(s);
    }
    if (!ok) {
      out.note = fmt::format(
          "session {} of {} was not served ({}): the router allows fewer sessions "
          "than max_sessions, or other sessions are open",
          i + 1, out.limit, to_string(s.conn.contact));
      obs_.sessions = out;
      return;
    }
    held.push_back(std::move(s));
  }
  out.held = static_cast<int>(held.size());
  if (out.held < out.limit) {
    out.note = "the deadline passed before max_sessions sessions were open";
    obs_.sessions = out;
    return;
  }
  const Deadline extra_dl = Deadline::in(std::chrono::milliseconds(2000)).earlier(ctx_.deadline);
  Session x = connect(extra_dl, false, true);
  if (x.conn.contact != Contact::kOpen) {
    out.extra_seen = std::string(to_string(x.conn.contact)) + " (" + x.conn.detail + ")";
    if (x.conn.contact == Contact::kTlsFailed || x.conn.contact == Contact::kSetupError)
      out.note = "the extra session could not be tried: " + x.conn.detail;
    else
      out.enforced = true;
  } else {
    auto r = call(x, detection(), extra_dl);
    if (!r.sentences.empty()) {
      out.extra_seen = "served: " + r.first_text();
      out.enforced = false;
    } else if (r.end == End::kEof || r.end == End::kReset || r.end == End::kTimeout) {
      out.extra_seen = std::string(r.end == End::kEof     ? "closed-after-accept"
                                   : r.end == End::kReset ? "reset-after-accept"
                                                          : "silent-after-accept") +
                       " (" + r.detail + ")";
      out.enforced = true;
    } else {
      out.extra_seen = r.detail;
      out.note = "the extra session got neither service nor a refusal: " + r.detail;
    }
  }
  obs_.sessions = out;
}

void Runner::run(const std::optional<std::string>& password) {
  // Over TLS, keep part of the time for asking a silent port in plain API.
  Deadline first_dl = ctx_.deadline;
  if (spec_.tls.enabled) {
    const auto left = ctx_.deadline.at() - Clock::now();
    first_dl = Deadline(Clock::now() + left * 6 / 10);
  }
  Session a = connect(first_dl, true);
  if (!detect(a)) return;
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
    } else if (login(*s, *password, &obs_.login)) {
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
    obs->transcript.add_secret(*password);
  }
  Runner(ctx, spec, *obs, *dst).run(password);
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
