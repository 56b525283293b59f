#include "probes/routeros_api/routeros_api_probe.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vantage::probes {

namespace {

const std::vector<std::string> kWords = {"api", "no-api", "not-api", "restricted"};
const std::vector<std::string> kObjectKeys = {
    "login", "write", "read", "pre_login", "legacy_login", "max_sessions", "restricted"};
const std::vector<std::string> kModes = {"reset", "close", "silent"};
const char* kRestrictedExample =
    "{\"restricted\": {\"modes\": [\"reset\", \"close\", \"silent\"], \"control\": \"mgmt\"}}";

// The source names a check runs from ("from": "x" or ["x", "y"]).
std::vector<std::string> from_names(const json& check) {
  auto it = check.find("from");
  if (it == check.end()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  std::vector<std::string> out;
  if (it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// expect: {"restricted": {"modes": [...], "control": "source"}}. Silence
// counts only when the scenario opts in AND names an allowed source whose
// connection must get `!fatal not logged in` in the same time: without that,
// a slow handshake, loss or a tarpit would pass as a restriction.
void parse_restricted(const json& check, const json& obj, const JsonPath& rp, Diagnostics& diags,
                      const ParseEnv& env, RouterosApiSpec& spec) {
  if (!check_keys(obj, rp, {"modes", "control"}, diags)) return;
  if (auto modes = get_string_list(obj, rp, "modes", diags)) {
    if (modes->empty())
      diags.error(rp / "modes", "name at least one of \"reset\", \"close\", \"silent\"");
    for (std::size_t i = 0; i < modes->size(); ++i) {
      const auto& m = (*modes)[i];
      if (std::find(kModes.begin(), kModes.end(), m) != kModes.end()) continue;
      std::string msg = "unknown restriction mode \"" + m + "\"";
      if (auto d = did_you_mean(m, kModes)) msg += "; did you mean \"" + *d + "\"?";
      msg += " Modes: reset, close, silent";
      diags.error(obj["modes"].is_array() ? rp / "modes" / i : rp / "modes", msg);
    }
    spec.restricted_modes = *modes;
  }
  const bool silent = std::find(spec.restricted_modes.begin(), spec.restricted_modes.end(),
                                "silent") != spec.restricted_modes.end();
  auto control = get_string(obj, rp, "control", diags);
  if (silent && !control) {
    diags.error(
        rp / "modes",
        "\"silent\" counts as a restriction only with a positive control: add "
        "\"control\": \"<a source in the service's address list>\", e.g. " +
            std::string(kRestrictedExample) +
            " (silence alone is what a slow or loaded router, loss or a tarpit looks like)");
  }
  if (control && !silent) {
    diags.error(rp / "control",
                "\"control\" proves that silence is a refusal; it applies only when \"modes\" "
                "lists \"silent\" (add it, or remove \"control\")");
  }
  if (!control) return;
  const auto from = from_names(check);
  if (std::find(from.begin(), from.end(), *control) != from.end()) {
    diags.error(rp / "control",
                "the control \"" + *control +
                    "\" is a source this check runs from; name another source, one the "
                    "service's address list allows (e.g. the management host)");
    return;
  }
  std::vector<std::string> names;
  if (env.sources)
    for (const auto& src : *env.sources) {
      names.push_back(src.name);
      if (src.name == *control) spec.control = src;
    }
  if (!spec.control) {
    std::string msg = "unknown source \"" + *control + "\"";
    if (auto d = did_you_mean(*control, names)) msg += "; did you mean \"" + *d + "\"?";
    msg += names.empty() ? "; define it under \"sources\"" : " Defined sources:";
    for (const auto& n : names) msg += " " + n;
    diags.error(rp / "control", msg);
  }
}

std::optional<std::string> one_of(const json& obj, const JsonPath& path, const char* key,
                                  const std::vector<std::string>& allowed, Diagnostics& diags) {
  auto v = get_string(obj, path, key, diags);
  if (!v) return std::nullopt;
  for (const auto& a : allowed)
    if (*v == a) return v;
  std::string msg = fmt::format("\"{}\" must be one of:", key);
  for (const auto& a : allowed) msg += " \"" + a + "\"";
  diags.error(path / key, msg);
  return std::nullopt;
}

}  // namespace

bool RouterosApiSpec::silent_allowed() const {
  return control && std::find(restricted_modes.begin(), restricted_modes.end(), "silent") !=
                        restricted_modes.end();
}

json RouterosApiProbe::schema() const {
  json props = SessionSpec::session_schema(
      "allow a real login over plain API (the password crosses the wire in clear)");
  json word = {{"enum", kWords}};
  json object = {
      {"type", "object"},
      {"additionalProperties", false},
      {"minProperties", 1},
      {"properties",
       {{"login", {{"enum", {"ok", "denied"}}}},
        {"write",
         {{"enum", {"ok", "denied"}},
          {"description",
           "sets /system/identity to the value just read: never changes the router"}}},
        {"read", {{"enum", {"ok", "denied"}}}},
        {"pre_login", {{"enum", {"fatal"}}, {"description", "a command before login gets !fatal"}}},
        {"legacy_login",
         {{"type", "boolean"},
          {"description", "a bare /login answered with the pre-6.43 =ret= challenge"}}},
        {"max_sessions", {{"enum", {"enforced", "not-enforced"}}}},
        {"restricted",
         {{"type", "object"},
          {"additionalProperties", false},
          {"description",
           "restricted, with the modes that count (default reset, close); \"silent\" needs "
           "\"control\": an allowed source that must get `!fatal not logged in` from the same "
           "port in the same time. Stands alone in expect."},
          {"properties",
           {{"modes",
             {{"type", "array"},
              {"minItems", 1},
              {"uniqueItems", true},
              {"items", {{"enum", kModes}}}}},
            {"control", {{"type", "string"}, {"description", "a source name"}}}}}}}}}};
  props["expect"] = {
      {"description",
       "api | no-api | not-api | restricted (reset or close after accept), or an object with "
       "login/write/read/pre_login/legacy_login/max_sessions, or {\"restricted\": {\"modes\": "
       "[...], \"control\": source}}"},
      {"oneOf", json::array({word, object})}};
  props["max_sessions"] = {
      {"type", "integer"},
      {"minimum", 1},
      {"maximum", 256},
      {"description", "the service's max-sessions: hold that many sessions, then open one more"}};
  props["settle_ms"] = {{"type", "integer"},
                        {"minimum", 0},
                        {"maximum", 5000},
                        {"description",
                         "after the handshake, wait at least this long for a close or reset "
                         "before sending on the first connection (default: no wait; a close "
                         "or reset in answer to the first request is confirmed on a quiet "
                         "connection) and on the over-limit session (default 200); the window "
                         "grows with the link's RTT"}};
  return props;
}

std::unique_ptr<CheckSpec> RouterosApiProbe::parse(const json& check, const JsonPath& path,
                                                   Diagnostics& diags, const ParseEnv& env) const {
  auto spec = std::make_unique<RouterosApiSpec>();
  spec->parse_session(check, path, diags, env, "plain API");
  if (auto m = get_int(check, path, "max_sessions", diags, 1, 256))
    spec->max_sessions = static_cast<int>(*m);
  if (auto s = get_int(check, path, "settle_ms", diags, 0, 5000))
    spec->settle = std::chrono::milliseconds(*s);

  auto it = check.find("expect");
  const JsonPath ep = path / "expect";
  if (it == check.end()) {
    diags.error(ep,
                "missing \"expect\": e.g. \"no-api\", \"restricted\" or {\"login\": \"ok\", "
                "\"write\": \"denied\"}");
    return spec;
  }
  spec->expect_json = *it;
  if (it->is_string()) {
    const auto w = it->get<std::string>();
    if (std::find(kWords.begin(), kWords.end(), w) == kWords.end()) {
      std::string msg = "unknown expectation \"" + w + "\"";
      if (auto m = did_you_mean(w, kWords)) msg += "; did you mean \"" + *m + "\"?";
      msg += " Use api, no-api, not-api, restricted, or an object such as {\"login\": \"ok\"}";
      diags.error(ep, msg);
    }
    spec->expect_word = w;
    return spec;
  }
  if (!it->is_object()) {
    diags.error(ep,
                "expect must be a word (api, no-api, not-api, restricted) or an object, found " +
                    type_name(*it));
    return spec;
  }
  if (!check_keys(*it, ep, kObjectKeys, diags)) return spec;
  if (auto r = it->find("restricted"); r != it->end()) {
    if (it->size() > 1)
      diags.error(ep / "restricted",
                  "\"restricted\" stands alone: a restricted source gets no API, so login, "
                  "read, write and the rest cannot be checked from it; put them in another check "
                  "from an allowed source");
    spec->expect_word = "restricted";
    parse_restricted(check, *r, ep / "restricted", diags, env, *spec);
    return spec;
  }
  if (it->empty())
    diags.error(ep,
                "the expectation object is empty; name at least one of login, write, read, "
                "pre_login, legacy_login, max_sessions");
  spec->login = one_of(*it, ep, "login", {"ok", "denied"}, diags);
  spec->write = one_of(*it, ep, "write", {"ok", "denied"}, diags);
  spec->read = one_of(*it, ep, "read", {"ok", "denied"}, diags);
  spec->pre_login_fatal = one_of(*it, ep, "pre_login", {"fatal"}, diags).has_value();
  spec->legacy_login = get_bool(*it, ep, "legacy_login", diags);
  spec->max_sessions_expect = one_of(*it, ep, "max_sessions", {"enforced", "not-enforced"}, diags);
  for (const char* k : {"login", "write", "read"}) {
    if (it->contains(k) && !spec->credentials)
      diags.error(ep / k,
                  std::string("expect.") + k +
                      " needs a login: add \"login\": {\"user\": ..., \"password_env\": ...}");
  }
  if ((spec->write || spec->read) && spec->login == "denied")
    diags.error(ep,
                "write/read are tested after a successful login; they cannot go with \"login\": "
                "\"denied\"");
  if (spec->max_sessions_expect && !spec->max_sessions)
    diags.error(
        ep / "max_sessions",
        "expect.max_sessions needs the service's limit: add \"max_sessions\": N to the check");
  return spec;
}

json ApiObservation::evidence() const {
  json e = SessionContact::to_json();
  e["local_address"] = local_address;
  if (detection_sent)
    e["detection"] = {
        {"sent", std::string("/login =name=") + routeros::kDetectionUser + " =password= (empty)"},
        {"note", std::string("detection uses the fixed dummy user ") + routeros::kDetectionUser +
                     " with an empty password; no real credentials are sent for it"}};
  if (!access.empty()) e["access"] = access;
  if (!first_reply.empty()) e["first_reply"] = first_reply;
  if (dummy_login_accepted) e["dummy_login_accepted"] = true;
  if (legacy_login) {
    e["legacy_login"] = *legacy_login;
    if (!legacy_detail.empty()) e["legacy_detail"] = legacy_detail;
  }
  e["login"] = login.to_json();
  e["read"] = read.to_json();
  e["write"] = write.to_json();
  if (!identity.empty()) e["identity"] = identity;
  if (pre_login_fatal) {
    e["pre_login"] = {{"fatal", *pre_login_fatal}, {"seen", pre_login_seen}};
  }
  if (control)
    e["control"] = {{"source", control->source},
                    {"window_ms", control->window_ms},
                    {"took_ms", control->took_ms},
                    {"answered", control->ok},
                    {"seen", control->seen}};
  if (sessions) {
    json s = {
        {"limit", sessions->limit}, {"held", sessions->held}, {"extra_seen", sessions->extra_seen}};
    if (sessions->enforced) s["enforced"] = *sessions->enforced;
    if (!sessions->note.empty()) s["note"] = sessions->note;
    e["sessions"] = s;
  }
  e["transcript"] = transcript.to_json();
  return e;
}

}  // namespace vantage::probes
