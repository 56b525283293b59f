#pragma once
// The routeros-api probe: does something on this port speak the RouterOS API
// (api / no-api / not-api, and exactly how a disallowed source is refused),
// does a login work, is the account least-privileged (read yes, write no: the
// write test sets the identity to the value just read, so nothing changes),
// what a command before login gets, whether the router still offers the
// pre-6.43 challenge login, and whether max-sessions is enforced.
//
// A plaintext probe never sends real credentials: detection logs in as a fixed
// dummy user with an empty password. A real login over plain API needs
// "allow_plaintext_credentials": true, and then the report carries a warning.
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "probes/routeros_api/api_channel.hpp"
#include "probes/session/session.hpp"
#include "routeros/facts.hpp"

namespace vantage::probes {

// The contact fields (remote, port, tls, contact: how the first connection
// went, ...) come from SessionContact.
struct ApiObservation : Observation, SessionContact {
  // "api", "no-api", "not-api" (empty: could not tell, see error).
  std::string access;
  std::string first_reply;  // first reply sentence to detection, as text
  bool dummy_login_accepted = false;
  bool detection_sent = false;  // the dummy /login went out

  std::optional<bool> legacy_login;  // bare /login answered with =ret=
  std::string legacy_detail;
  ApiStep login, read, write;
  std::string identity;  // value read by /system/identity/print

  std::optional<bool> pre_login_fatal;  // a command before login got !fatal
  std::string pre_login_seen;

  // The positive control that lets silence count as a restriction: the
  // allowed source asked the same port a harmless sentence within the time
  // the silent connection was given.
  struct Control {
    std::string source;
    long window_ms = 0;  // the time the silent connection got, and the control too
    long took_ms = 0;
    bool ok = false;  // answered `!fatal not logged in` in time
    std::string seen;
  };
  std::optional<Control> control;

  struct Sessions {
    int limit = 0;
    int held = 0;                  // sessions that got an API answer before the extra one
    std::string extra_seen;        // contact or reply the extra session saw
    std::optional<bool> enforced;  // the extra session got no API service
    std::string note;
  };
  std::optional<Sessions> sessions;

  Transcript transcript;
  json evidence() const override;
};

// The session settings (tls, credentials, allow_plaintext) come from SessionSpec.
class RouterosApiSpec final : public CheckSpec, public SessionSpec {
 public:
  // String form: "api" | "no-api" | "not-api" | "restricted"; object form below.
  // The object {"restricted": {...}} is stored as the word "restricted".
  std::string expect_word;
  // The restriction modes that pass "restricted": reset and close unless the
  // scenario lists them; "silent" only together with `control`.
  std::vector<std::string> restricted_modes = {"reset", "close"};
  std::optional<net::SourceSpec> control;  // an allowed source (proves silence)
  bool silent_allowed() const;
  std::optional<std::string> login;  // "ok" | "denied"
  std::optional<std::string> write;  // "ok" | "denied"
  std::optional<std::string> read;   // "ok" | "denied"
  bool pre_login_fatal = false;
  std::optional<bool> legacy_login;
  std::optional<std::string> max_sessions_expect;  // "enforced" | "not-enforced"
  json expect_json;

  std::optional<int> max_sessions;
  // settle_ms: the first connection waits it before sending (none when not
  // given: a refusal at accept is confirmed by a quiet connection instead);
  // the over-limit session always waits a window (this, or 200 ms).
  std::optional<std::chrono::milliseconds> settle;

  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
  // The held sessions of the max-sessions test, the extra one, and the rest.
  int fds() const override { return max_sessions.value_or(0) + 4; }
  int connections() const override { return max_sessions.value_or(0) + 1; }
};

class RouterosApiProbe final : public Probe {
 public:
  std::string_view name() const override { return "routeros-api"; }
  std::string_view summary() const override {
    return "RouterOS API: detection (api/no-api/not-api, restriction mode), login, least "
           "privilege, pre-login, legacy login, max-sessions";
  }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

}  // namespace vantage::probes
