#include "probes/session/credentials.hpp"

#include <cstdlib>
#include <filesystem>

#include "core/small_file.hpp"

namespace vantage::probes {

std::string LoginSpec::origin() const {
  return password_env.empty() ? password_file : "$" + password_env;
}

std::optional<LoginSpec> parse_login(const json& check, const JsonPath& path, Diagnostics& diags,
                                     const ParseEnv& env) {
  auto it = check.find("login");
  if (it == check.end()) return std::nullopt;
  const JsonPath lp = path / "login";
  if (!it->is_object()) {
    diags.error(lp, "login must be an object: {\"user\": \"audit\", \"password_env\": \"VAR\"}");
    return std::nullopt;
  }
  if (it->contains("password"))
    diags.error(lp / "password",
                "a password is never written in a scenario: use \"password_env\" (an environment "
                "variable) or \"password_file\" (a file readable only by the runner)");
  // "password" is reported above with a better message than "unknown key".
  if (!check_keys(*it, lp, {"user", "password_env", "password_file", "password"}, diags))
    return std::nullopt;
  LoginSpec l;
  l.user = get_string(*it, lp, "user", diags, true).value_or("");
  l.password_env = get_string(*it, lp, "password_env", diags).value_or("");
  if (auto f = get_string(*it, lp, "password_file", diags)) {
    std::filesystem::path p(*f);
    if (p.is_relative()) p = env.base_dir / p;
    l.password_file = p.string();
  }
  if (it->contains("user") && l.user.empty()) diags.error(lp / "user", "user must not be empty");
  if (l.password_env.empty() == l.password_file.empty() && !it->contains("password"))
    diags.error(lp, "login needs exactly one of \"password_env\" or \"password_file\"");
  return l;
}

json login_schema() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", json::array({"user"})},
          {"description",
           "user and where its password lives (never the password itself): password_env or "
           "password_file"},
          {"properties",
           {{"user", {{"type", "string"}, {"minLength", 1}}},
            {"password_env", {{"type", "string"}, {"minLength", 1}}},
            {"password_file", {{"type", "string"}, {"minLength", 1}}}}},
          {"oneOf", json::array({{{"required", json::array({"password_env"})}},
                                 {{"required", json::array({"password_file"})}}})}};
}

std::optional<std::string> read_password(const LoginSpec& login, std::string& error) {
  if (!login.password_env.empty()) {
    const char* v = std::getenv(login.password_env.c_str());
    if (!v) {
      error = "environment variable " + login.password_env + " (password of " + login.user +
              ") is not set";
      return std::nullopt;
    }
    return std::string(v);
  }
  std::string why;
  auto text = read_small_file(login.password_file, kMaxSecretFileBytes, why);
  if (!text) {
    error = "cannot read password_file " + why;
    return std::nullopt;
  }
  std::string pw = std::move(*text);
  // One trailing newline is what editors and `echo` add; it is not part of the secret.
  if (!pw.empty() && pw.back() == '\n') pw.pop_back();
  if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  return pw;
}

void check_plaintext_rule(const json& check, const JsonPath& path, Diagnostics& diags, bool tls,
                          bool has_login, bool& allow_plaintext, const char* what) {
  allow_plaintext = get_bool(check, path, "allow_plaintext_credentials", diags).value_or(false);
  if (has_login && !tls && !allow_plaintext)
    diags.error(path / "login",
                std::string("a login over ") + what +
                    " sends the password in clear text: use \"tls\": true, or set "
                    "\"allow_plaintext_credentials\": true to accept that risk (the report "
                    "then carries a warning)");
}

}  // namespace vantage::probes
