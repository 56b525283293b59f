// The routeros-api probe's observation: detection, legacy login, login,
// read/write, pre-login and max-sessions (one file each, see api_run.hpp),
// every sentence recorded, every network text redacted.
#include <fmt/format.h>

#include "core/redact.hpp"
#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes {

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

std::string step_text(std::string_view what, const ApiStep& s, const std::string& extra) {
  std::string out = std::string(what) + " " + to_string(s.outcome);
  if (s.outcome == StepOutcome::kOk && !extra.empty()) return out + " (" + extra + ")";
  if (s.outcome != StepOutcome::kOk && !s.message.empty()) out += ": " + s.message;
  return out;
}

// The summary says what this check's own steps saw. The detection's dummy
// login (whose `!trap` only proves an API answers) is the evidence only
// when detection is all the check asked for.
std::string api_summary(const ApiObservation& o) {
  if (o.access == "no-api") return std::string("no-api (") + to_string(o.contact) + ")";
  if (o.access == "not-api") return "not-api (" + o.contact_detail + ")";
  if (o.access != "api") return "error: " + o.error;
  std::vector<std::string> parts;
  if (o.login.outcome != StepOutcome::kNotAttempted)
    parts.push_back(step_text("login", o.login, ""));
  if (o.read.outcome != StepOutcome::kNotAttempted)
    parts.push_back(step_text("read", o.read, o.identity.empty() ? "" : "identity " + o.identity));
  if (o.write.outcome != StepOutcome::kNotAttempted)
    parts.push_back(step_text("write", o.write, o.write.attempted));
  if (o.pre_login_fatal)
    parts.push_back(*o.pre_login_fatal ? "a command before login got !fatal"
                                       : "a command before login got: " + o.pre_login_seen);
  if (o.legacy_login)
    parts.push_back(*o.legacy_login ? "legacy challenge login offered"
                                    : "legacy challenge login not offered");
  if (o.sessions && o.sessions->enforced)
    parts.push_back(fmt::format("max-sessions {} {}", o.sessions->limit,
                                *o.sessions->enforced ? "enforced" : "not enforced"));
  if (parts.empty()) return "api: `" + o.first_reply + "`";
  std::string out = "api";
  for (const auto& p : parts) out += "; " + p;
  return out;
}

// The sub-tests in order, each on a connection the one before left usable.
void run_all(api::ApiRun& run, const std::optional<std::string>& password) {
  // With silence opted in, keep as much time for the control as the first
  // connection gets; over TLS, keep part of it for asking a silent port in
  // plain API.
  Deadline first_dl = run.ctx.deadline;
  if (run.spec.silent_allowed())
    first_dl = api::share_of(run.ctx.deadline, 45);
  else if (run.spec.tls.enabled)
    first_dl = api::share_of(run.ctx.deadline, 60);
  api::Session a = run.connect(first_dl, true);
  if (!api::detect(run, a, first_dl)) return;
  api::legacy_login(run, a);
  std::optional<api::Session> b;
  if (password) {
    api::Session* s = &a;
    if (!a.open || a.logged_in) {
      b = run.connect(run.ctx.deadline, false);
      s = &*b;
    }
    if (!s->open) {
      run.obs.login.outcome = StepOutcome::kError;
      run.obs.login.message = "could not open a session for the login: " + s->conn.detail;
    } else if (run.login(*s, *password, &run.obs.login, run.ctx.deadline)) {
      api::least_privilege(run, *s);
    }
  }
  // Pre-login on a connection that has not logged in.
  api::Session* p = (a.open && !a.logged_in) ? &a : nullptr;
  std::optional<api::Session> c;
  if (!p && !run.ctx.deadline.expired()) {
    a = api::Session{};  // done with them: free the router's sessions first
    b.reset();
    c = run.connect(run.ctx.deadline, false);
    p = &*c;
  }
  if (p && p->open)
    api::pre_login(run, *p);
  else
    run.obs.pre_login_seen = "could not open a connection for the pre-login test";
  a = api::Session{};
  b.reset();
  c.reset();
  if (run.spec.max_sessions && !run.ctx.deadline.expired()) api::max_sessions(run, password);
}

}  // namespace

std::unique_ptr<Observation> RouterosApiProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<ApiObservation>();
  const auto& spec = static_cast<const RouterosApiSpec&>(ctx.spec);
  obs->port = ctx.check.port;
  obs->tls = spec.tls.enabled;
  obs->source_name = ctx.source ? ctx.source->name : "";
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
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
  api::ApiRun run(ctx, spec, *obs, *dst);
  run_all(run, password);
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
  obs->summary = api_summary(*obs);
  return obs;
}

}  // namespace vantage::probes
