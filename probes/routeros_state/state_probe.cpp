// The routeros-state check: its keys (schema), parsing with located errors,
// the verdict from the findings, and the evidence.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "core/plural.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"

namespace vantage::probes {

namespace {

const std::vector<std::string> kAspects = {"services",    "users",   "firewall",
                                           "certificate", "version", "correlation"};

// The policy file (policies/routeros-versions.json): its "minimum" when the
// check gives none, and its known fixes. Read at parse time so a bad file is a
// located error (the file's own line:column), never a silent pass.
void read_policy(const std::string& file, const JsonPath& at, Diagnostics& diags,
                 RouterosStateSpec& spec) {
  try {
    VersionPolicy p = load_version_policy(file);
    if (spec.min_version.empty()) spec.min_version = p.minimum;
    spec.known_fixes = std::move(p.fixed);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics())
      diags.error(at, d.line > 0 ? fmt::format("{}:{}:{}: {}", d.file, d.line, d.column, d.message)
                                 : d.message +
                                       "; name a version policy file such as the shipped "
                                       "policies/routeros-versions.json (from scenarios/: "
                                       "\"../policies/routeros-versions.json\")");
  }
}

}  // namespace

json RouterosStateProbe::schema() const {
  json props = SessionSpec::session_schema(
      "allow the login over plain API (the password crosses the wire in clear)");
  props["expect"] = {{"enum", kAspects},
                     {"description",
                      "which of the router's own state to hold against the scenario: services, "
                      "users, firewall, certificate, version, or correlation (its log against "
                      "this run)"}};
  props["mgmt_range"] = {{"type", "string"},
                         {"description", "the prefix the API may be reached from (CIDR)"}};
  props["disabled_services"] = {{"type", "array"},
                                {"items", {{"type", "string"}}},
                                {"description", "services that must be disabled"}};
  props["max_sessions"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}};
  props["inactive_days"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 3650}};
  props["min_version"] = {
      {"type", "string"},
      {"description",
       "lowest acceptable RouterOS; overrides version_policy's minimum (\"\": the policy's)"}};
  props["version_policy"] = {
      {"type", "string"},
      {"description",
       "a policy file: \"minimum\" and \"fixed\" [{\"cve\", \"fixed_in\" (one release per "
       "train), \"source\"}], each a failing finding when the router lacks the fix; relative "
       "paths resolve against the scenario (shipped: policies/routeros-versions.json)"}};
  props["log_prefix"] = {{"type", "string"}};
  props["max_clock_skew_s"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", 86400}};
  props["detection_from"] = {{"type", "string"},
                             {"description", "the source whose detection login must be logged"}};
  return props;
}

std::unique_ptr<CheckSpec> RouterosStateProbe::parse(const json& check, const JsonPath& path,
                                                     Diagnostics& diags,
                                                     const ParseEnv& env) const {
  auto spec = std::make_unique<RouterosStateSpec>();
  spec->parse_session(check, path, diags, env, "plain API");
  if (!spec->credentials)
    diags.error(path / "login",
                "routeros-state logs in to read: add \"login\": {\"user\": \"audit\", "
                "\"password_env\": \"VANTAGE_PASSWORD\"} (a read,api user)");
  spec->expect_json = check.contains("expect") ? check["expect"] : json();
  if (auto e = get_string(check, path, "expect", diags, true)) {
    auto it = std::find(kAspects.begin(), kAspects.end(), *e);
    if (it == kAspects.end()) {
      std::string msg = "unknown expectation \"" + *e + "\"";
      if (auto d = did_you_mean(*e, kAspects)) msg += "; did you mean \"" + *d + "\"?";
      diags.error(path / "expect",
                  msg + " Use services, users, firewall, certificate, version or correlation");
    } else {
      spec->aspect = static_cast<Aspect>(it - kAspects.begin());
      spec->expect_word = *e;
    }
  }
  if (auto m = get_string(check, path, "mgmt_range", diags)) spec->mgmt_range = *m;
  const bool needs_range = spec->aspect == Aspect::kServices || spec->aspect == Aspect::kUsers ||
                           spec->aspect == Aspect::kFirewall ||
                           spec->aspect == Aspect::kCorrelation;
  if (needs_range && !spec->expect_word.empty() &&
      (spec->mgmt_range.empty() ||
       !in_prefix(spec->mgmt_range.substr(0, spec->mgmt_range.find('/')), spec->mgmt_range)))
    diags.error(path / "mgmt_range",
                "expect \"" + spec->expect_word +
                    "\" needs the management range as a prefix: \"mgmt_range\": "
                    "\"198.51.100.0/24\" (a scenario var such as \"${mgmt_range}\" works too)");
  if (auto d = get_string_list(check, path, "disabled_services", diags)) spec->disabled = *d;
  if (auto v = get_int(check, path, "max_sessions", diags, 1, 1000))
    spec->max_sessions = static_cast<int>(*v);
  if (auto v = get_int(check, path, "inactive_days", diags, 1, 3650))
    spec->inactive_days = static_cast<int>(*v);
  if (auto v = get_string(check, path, "min_version", diags); v && !v->empty()) {
    if (!compare_versions(*v, *v))
      diags.error(path / "min_version",
                  "\"" + *v + "\" is not a RouterOS version; e.g. \"7.16.2\"");
    spec->min_version = *v;
  }
  if (auto v = get_string(check, path, "version_policy", diags); v && !v->empty()) {
    std::filesystem::path p(*v);
    if (p.is_relative()) p = env.base_dir / p;
    spec->version_policy = p.string();
    read_policy(spec->version_policy, path / "version_policy", diags, *spec);
  }
  if (spec->aspect == Aspect::kVersion && spec->min_version.empty() &&
      spec->version_policy.empty() && !spec->expect_word.empty())
    diags.error(path,
                "expect \"version\" needs \"min_version\": \"7.24.5\" or \"version_policy\": "
                "\"../policies/routeros-versions.json\" (the shipped policy)");
  if (auto v = get_string(check, path, "log_prefix", diags)) spec->log_prefix = *v;
  if (auto v = get_int(check, path, "max_clock_skew_s", diags, 0, 86400))
    spec->max_skew_s = static_cast<int>(*v);
  if (auto v = get_string(check, path, "detection_from", diags)) {
    if (env.sources)
      for (const auto& src : *env.sources)
        if (src.name == *v) spec->detection_from = src;
    if (!spec->detection_from)
      diags.error(path / "detection_from", "unknown source \"" + *v +
                                               "\"; define it under "
                                               "\"sources\"");
  }
  return spec;
}

Verdict RouterosStateSpec::judge(const Observation& o) const {
  const auto& obs = static_cast<const StateObservation&>(o);
  if (!obs.error.empty()) return results::unobserved(expect_word, obs.error);
  std::vector<Finding> f;
  Correlation corr;
  switch (aspect) {
    case Aspect::kServices: f = judge_services(*this, obs.state); break;
    case Aspect::kUsers: f = judge_users(*this, obs.state, credentials->user); break;
    case Aspect::kFirewall: f = judge_firewall(*this, obs.state); break;
    case Aspect::kCertificate: f = judge_certificate(*this, obs.state); break;
    case Aspect::kVersion: f = judge_version(*this, obs.state); break;
    case Aspect::kCorrelation: {
      corr = judge_correlation(*this, obs);
      // Nothing from outside to hold against the log: a quiet log proves nothing.
      if (corr.outside == 0 && obs.unknowns.empty())
        return results::unobserved(
            expect_word, fmt::format("this run made no connection to the API ports from "
                                     "outside {}, so the router's log had nothing to show; "
                                     "run a tcp check from an outside source before this one",
                                     mgmt_range));
      f = corr.findings;
      break;
    }
  }
  Verdict v;
  v.expected = expect_word;
  std::string fails, infos;
  int n = 0;
  for (const auto& x : f) {
    std::string& to = x.info ? infos : fails;
    to += (to.empty() ? "" : "; ") + x.text + " (fix: " + x.fix + ")";
    n += x.info ? 0 : 1;
  }
  if (n == 0) {
    v.status = Status::kPass;
    v.observed = "as expected";
    v.message = expect_word + ": the router's configuration agrees" +
                (infos.empty() ? std::string() : "; note: " + infos);
  } else {
    v.status = Status::kFail;
    v.observed = counted(static_cast<std::size_t>(n), "finding");
    v.message = fails + (infos.empty() ? std::string() : "; note: " + infos);
  }
  if (aspect == Aspect::kCorrelation) {
    v.message +=
        fmt::format(" [{} of {} from outside {} logged as drops", corr.matched,
                    counted(static_cast<std::size_t>(corr.outside), "API connection"), mgmt_range);
    if (obs.state.skew)
      v.message += fmt::format("; router clock skew {:+d} s", obs.state.skew->count());
    v.message += "]";
  }
  v.findings = std::move(f);  // records for the reports; advice (info) on a pass too
  return v;
}

json StateObservation::evidence() const {
  json e = SessionContact::to_json();
  json menus = json::object();
  for (const auto& [path, m] : state.menus) {
    json rows = json::array();
    // The log can be long: keep the last 200 lines in the evidence.
    const std::size_t from = m.rows.size() > 200 ? m.rows.size() - 200 : 0;
    for (std::size_t i = from; i < m.rows.size(); ++i) rows.push_back(m.rows[i]);
    menus[path] = {{"read", m.read}, {"rows", m.rows.size()}, {"shown", rows}};
  }
  e["menus"] = menus;
  if (state.skew) e["clock_skew_s"] = state.skew->count();
  if (!state.router_clock.empty()) e["router_clock"] = state.router_clock;
  if (!state.wire_sha256.empty()) e["wire_certificate_sha256"] = state.wire_sha256;
  e["run_connections"] = run_conns.size();
  if (!run_started.empty()) e["run_started"] = run_started;
  e["transcript"] = transcript.to_json();
  return e;
}

}  // namespace vantage::probes
