#pragma once
// Credentials for the application probes (routeros-api, rest). A scenario
// names where the password lives (password_env / password_file), never the
// password itself; it is read only when the check runs and never recorded.
#include <optional>
#include <string>

#include "probes/probe.hpp"

namespace vantage::probes {

struct LoginSpec {
  std::string user;
  std::string password_env;   // name of an environment variable
  std::string password_file;  // absolute (resolved against the scenario's folder)
  // Where the password comes from, for messages: "$VANTAGE_PASSWORD" or a path.
  std::string origin() const;
};

// Parses check["login"] when present. A literal "password" key is an error
// that names the alternatives.
std::optional<LoginSpec> parse_login(const json& check, const JsonPath& path, Diagnostics& diags,
                                     const ParseEnv& env);
json login_schema();

// Reads the password. On failure returns nullopt and sets `error` (which never
// contains the secret).
std::optional<std::string> read_password(const LoginSpec& login, std::string& error);

// The plaintext rule shared by both probes: credentials over a transport without
// TLS need "allow_plaintext_credentials": true. Reports the error at path/login.
void check_plaintext_rule(const json& check, const JsonPath& path, Diagnostics& diags, bool tls,
                          bool has_login, bool& allow_plaintext, const char* what);

}  // namespace vantage::probes
