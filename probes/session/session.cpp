#include "probes/session/session.hpp"

namespace vantage::probes {

void SessionSpec::parse_session(const json& check, const JsonPath& path, Diagnostics& diags,
                                const ParseEnv& env, const char* plain) {
  tls = parse_tls_settings(check, path, diags, env);
  credentials = parse_login(check, path, diags, env);
  if (check.contains("password"))
    diags.error(path / "password",
                "a password is never written in a scenario: put it under \"login\" as "
                "\"password_env\" or \"password_file\"");
  check_plaintext_rule(check, path, diags, tls.enabled, credentials.has_value(), allow_plaintext,
                       plain);
}

json SessionSpec::session_schema(const char* plaintext_note) {
  json props = tls_settings_schema();
  props["login"] = login_schema();
  props["allow_plaintext_credentials"] = {{"type", "boolean"}, {"description", plaintext_note}};
  return props;
}

void SessionContact::take(const AppConnection& conn) {
  contact = conn.contact;
  contact_detail = conn.detail;
  tls_version = conn.tls_version;
  tls_cipher = conn.tls_cipher;
  anonymous_tls = conn.anonymous;
  verified_tls = conn.verified;
}

json SessionContact::to_json() const {
  json e = {{"remote", remote}, {"tls", tls}, {"contact", to_string(contact)}};
  if (!contact_detail.empty()) e["contact_detail"] = contact_detail;
  if (const char* m = restriction_mode(contact); *m) e["restriction_mode"] = m;
  if (tls) {
    e["tls_version"] = tls_version;
    e["tls_cipher"] = tls_cipher;
    e["tls_anonymous"] = anonymous_tls;
    e["tls_verified"] = verified_tls;
  }
  return e;
}

const char* to_string(StepOutcome s) {
  switch (s) {
    case StepOutcome::kNotAttempted: return "not-attempted";
    case StepOutcome::kOk: return "ok";
    case StepOutcome::kDenied: return "denied";
    case StepOutcome::kError: return "error";
  }
  return "?";
}

json ApiStep::to_json() const {
  json j = {{"outcome", to_string(outcome)}};
  if (!message.empty()) j["message"] = message;
  if (!attempted.empty()) j["attempted"] = attempted;
  return j;
}

}  // namespace vantage::probes
