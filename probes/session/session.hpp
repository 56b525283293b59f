#pragma once
// What the session probes (routeros-api, rest) share besides the connection
// itself (app_connect.hpp): the session settings of a check, parsed once
// (TLS, login, the plaintext rule), the contact fields of an observation
// with their evidence, and the outcome of one step (login, read, write).
#include <cstdint>
#include <optional>
#include <string>

#include "probes/probe.hpp"
#include "probes/session/app_connect.hpp"
#include "probes/session/credentials.hpp"

namespace vantage::probes {

// tls, server_name, ca_file, ciphers, login and allow_plaintext_credentials
// of a check. A spec that opens sessions derives from it.
struct SessionSpec {
  TlsSettings tls;
  std::optional<LoginSpec> credentials;
  bool allow_plaintext = false;

  // Parses those keys; a literal "password" is an error, and so is a login
  // over `plain` ("plain API", "plain HTTP") without allow_plaintext_credentials.
  void parse_session(const json& check, const JsonPath& path, Diagnostics& diags,
                     const ParseEnv& env, const char* plain);
  // Their schema "properties"; `plaintext_note` describes allow_plaintext_credentials.
  static json session_schema(const char* plaintext_note);
};

// How the first connection of a session probe went, as its observation shows
// it. An observation that opens sessions derives from it.
struct SessionContact {
  std::string remote, source_name;
  std::uint16_t port = 0;
  bool tls = false;
  std::string tls_version, tls_cipher;
  bool anonymous_tls = false, verified_tls = false;
  Contact contact = Contact::kSetupError;
  std::string contact_detail;

  // Takes the contact and TLS facts of `conn`.
  void take(const AppConnection& conn);
  // remote, tls, contact, contact_detail, restriction_mode and the TLS facts:
  // evidence keys at the observation's top level.
  json to_json() const;
};

enum class StepOutcome { kNotAttempted, kOk, kDenied, kError };
const char* to_string(StepOutcome s);

// One step of a session: a login, a read, a write.
struct ApiStep {
  StepOutcome outcome = StepOutcome::kNotAttempted;
  std::string message;    // the service's message (denied) or what went wrong (error)
  std::string attempted;  // what was sent, in words (write)
  json to_json() const;
};

}  // namespace vantage::probes
