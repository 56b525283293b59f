// The rest probe's spec: its schema, parsing a check, judging an observation.
#include "probes/rest/rest_probe.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vantage::probes {

namespace {

const std::vector<std::string> kWords = {"rest-api", "not-rest", "no-http", "no-rest-on-plain-http",
                                         "auth-required"};

}  // namespace

json RestProbe::schema() const {
  json props = SessionSpec::session_schema(
      "allow Basic credentials over plain HTTP (they cross the wire in clear)");
  props["expect"] = {
      {"description",
       "rest-api | not-rest | no-http | no-rest-on-plain-http | auth-required, or {\"login\": "
       "\"ok\"|\"denied\"}"},
      {"oneOf", json::array({{{"enum", kWords}},
                             {{"type", "object"},
                              {"additionalProperties", false},
                              {"required", json::array({"login"})},
                              {"properties", {{"login", {{"enum", {"ok", "denied"}}}}}}}})}};
  props["path"] = {{"type", "string"},
                   {"pattern", "^/[^\\s]*$"},
                   {"description", "path to GET (default /rest/system/resource)"}};
  return props;
}

std::unique_ptr<CheckSpec> RestProbe::parse(const json& check, const JsonPath& path,
                                            Diagnostics& diags, const ParseEnv& env) const {
  auto spec = std::make_unique<RestSpec>();
  spec->parse_session(check, path, diags, env, "plain HTTP");
  if (auto p = get_string(check, path, "path", diags)) {
    if (p->empty() || (*p)[0] != '/' || p->find_first_of(" \t\r\n") != std::string::npos)
      diags.error(path / "path", "path must start with / and contain no spaces or line breaks");
    spec->path = *p;
  }
  auto it = check.find("expect");
  const JsonPath ep = path / "expect";
  if (it == check.end()) {
    diags.error(ep,
                "missing \"expect\": e.g. \"no-rest-on-plain-http\", \"auth-required\" or "
                "{\"login\": \"ok\"}");
    return spec;
  }
  spec->expect_json = *it;
  if (it->is_string()) {
    spec->expect_word = it->get<std::string>();
    if (std::find(kWords.begin(), kWords.end(), spec->expect_word) == kWords.end()) {
      std::string msg = "unknown expectation \"" + spec->expect_word + "\"";
      if (auto m = did_you_mean(spec->expect_word, kWords)) msg += "; did you mean \"" + *m + "\"?";
      msg +=
          " Use rest-api, not-rest, no-http, no-rest-on-plain-http, auth-required or {\"login\": "
          "\"ok\"}";
      diags.error(ep, msg);
    }
    if (spec->expect_word == "no-rest-on-plain-http" && spec->tls.enabled)
      diags.error(ep,
                  "\"no-rest-on-plain-http\" checks plain HTTP: remove \"tls\": true (use "
                  "\"auth-required\" or {\"login\": \"ok\"} for HTTPS)");
    if (spec->expect_word == "auth-required" && spec->credentials)
      diags.error(path / "login",
                  "\"auth-required\" sends no credentials: remove \"login\", or "
                  "expect {\"login\": \"ok\"}");
    return spec;
  }
  if (!it->is_object()) {
    diags.error(ep, "expect must be a word or {\"login\": \"ok\"}, found " + type_name(*it));
    return spec;
  }
  if (!check_keys(*it, ep, {"login"}, diags)) return spec;
  if (auto l = get_string(*it, ep, "login", diags, true)) {
    if (*l != "ok" && *l != "denied")
      diags.error(ep / "login", "\"login\" must be \"ok\" or \"denied\"");
    spec->login = *l;
  }
  if (!spec->credentials)
    diags.error(
        ep, "expect.login needs a login: add \"login\": {\"user\": ..., \"password_env\": ...}");
  return spec;
}

Verdict RestSpec::judge(const Observation& base) const {
  const auto& o = static_cast<const RestObservation&>(base);
  Verdict v;
  v.expected = expect_json.is_string() ? expect_word : expect_json.dump();
  v.observed = o.classification.empty() ? "error" : o.classification;
  const std::string scheme = o.tls ? "HTTPS" : "plain HTTP";
  const std::string from = o.source_name.empty() ? "" : " from " + o.source_name;
  const std::string where = fmt::format("{} on {}{}", scheme, o.port, from);
  std::string answer = fmt::format("GET {} answered {}", o.path, o.reason);
  if (!o.router_message.empty()) answer += " (`" + o.router_message + "`)";
  if (o.classification.empty()) {
    v.status = Status::kError;
    v.message = fmt::format("could not probe {}: {}", where, o.error);
    return v;
  }
  auto done = [&](bool ok, std::string msg) {
    v.status = ok ? Status::kPass : Status::kFail;
    v.message = std::move(msg);
    return v;
  };
  if (login) {
    v.observed = std::string("login=") + to_string(o.login.outcome);
    if (o.login.outcome == StepOutcome::kError) {
      if (o.classification == "rest-api") {
        v.status = Status::kError;
        v.message = fmt::format("{}: {}: the login outcome is unclear", where, answer);
        return v;
      }
      return done(false, fmt::format("no RouterOS REST API on {}: {}", where, o.reason));
    }
    const std::string user = credentials ? credentials->user : "";
    if (to_string(o.login.outcome) == *login)
      return done(true, fmt::format("{}: login as {} {}: {}", where, user, *login, answer));
    if (o.login.outcome == StepOutcome::kOk)
      return done(false, fmt::format("{}: login as {} succeeded, expected denied: {}", where, user,
                                     answer));
    return done(false, fmt::format("{}: login as {} was denied: {} (check the password in {} and "
                                   "that the user's group has the rest-api policy)",
                                   where, user, answer, credentials ? credentials->origin() : ""));
  }
  if (expect_word == "no-rest-on-plain-http") {
    if (o.classification != "rest-api")
      return done(true, fmt::format("{} does not serve the RouterOS REST API: {}", where,
                                    o.classification == "no-http" ? o.reason : answer));
    return done(
        false,
        fmt::format("{} serves the RouterOS REST API ({}): Basic credentials would cross the "
                    "wire in clear (turn it off: /ip service webserver set rest-plain=no on "
                    "7.21+, or /ip service set www disabled=yes)",
                    where, answer));
  }
  if (expect_word == "auth-required") {
    if (o.classification == "rest-api" && o.response && o.response->status == 401)
      return done(true, fmt::format("{}: {} without credentials", where, answer));
    if (o.classification == "rest-api")
      return done(false, fmt::format("{}: {} without credentials: the REST API serves "
                                     "unauthenticated requests",
                                     where, answer));
    return done(false, fmt::format("no RouterOS REST API on {}: {}", where,
                                   o.classification == "no-http" ? o.reason : answer));
  }
  if (o.classification == expect_word)
    return done(true,
                fmt::format("{}: {}", where, o.classification == "no-http" ? o.reason : answer));
  return done(false,
              fmt::format("{}: expected {}, observed {}: {}", where, expect_word, o.classification,
                          o.classification == "no-http" ? o.reason : answer));
}

}  // namespace vantage::probes
