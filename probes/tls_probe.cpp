#include "probes/tls_probe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "core/plural.hpp"
#include "net/sockaddr.hpp"
#include "probes/session/tls_connector.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/client_hello.hpp"
#include "tls/openssl.hpp"
#include "tls/tls_stream.hpp"

namespace vantage::probes {

namespace {

std::vector<std::string> version_words() {
  std::vector<std::string> w;
  for (tls::Version v : tls::all_versions()) w.emplace_back(tls::to_string(v));
  return w;
}

std::vector<std::string> class_words() {
  std::vector<std::string> w;
  for (tls::SuiteClass c : tls::all_suite_classes()) w.emplace_back(tls::to_string(c));
  return w;
}

void parse_versions(const json& e, const JsonPath& path, const char* key, Diagnostics& diags,
                    std::vector<tls::Version>& out) {
  auto list = get_string_list(e, path, key, diags);
  if (!list) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto v = tls::version_from((*list)[i])) {
      out.push_back(*v);
    } else {
      std::string msg = fmt::format("unknown TLS version \"{}\"", (*list)[i]);
      if (auto m = did_you_mean((*list)[i], version_words()))
        msg += fmt::format("; did you mean \"{}\"?", *m);
      msg += fmt::format(" Valid: {}", fmt::join(version_words(), ", "));
      diags.error(path / key / i, msg);
    }
  }
}

std::string suite_label(std::uint16_t code) {
  const tls::CipherSuite* s = tls::find_suite(code);
  if (!s) return fmt::format("0x{:04X}", code);
  auto classes = tls::class_names(s->classes);
  return classes.empty() ? std::string(s->iana)
                         : fmt::format("{} ({})", s->iana, fmt::join(classes, ", "));
}

std::string outcome_text(const tls::HelloOutcome& o) {
  using K = tls::HelloOutcome::Kind;
  switch (o.kind) {
    case K::kServerHello: return "answered with " + tls::version_name(o.hello.version);
    case K::kAlert: return "alert " + o.detail;
    case K::kReset: return "TCP reset";
    case K::kClosed: return "TCP close";
    case K::kTimeout: return "no answer (timeout)";
    case K::kGarbage: return "not TLS: " + o.detail;
    case K::kNoConnection: return "no connection: " + o.detail;
  }
  return "?";
}

}  // namespace

json TlsProbe::schema() const {
  json versions = {{"type", "array"}, {"items", {{"enum", version_words()}}}};
  json policy = {{"type", "string"},
                 {"description", fmt::format("a built-in profile ({}) or a policy file path",
                                             fmt::join(tls::builtin_policy_names(), ", "))}};
  return {
      {"expect",
       {{"type", "object"},
        {"additionalProperties", false},
        {"description", "versions that must be accepted / refused, forbidden suites, policy"},
        {"properties",
         {{"accept", versions},
          {"reject", versions},
          {"forbid_ciphers",
           {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"description", fmt::format("suite classes ({}) or suite names (IANA or OpenSSL)",
                                        fmt::join(class_words(), ", "))}}},
          {"require_forward_secrecy", {{"type", "boolean"}}},
          {"min_dh_bits", {{"type", "integer"}, {"minimum", 512}, {"maximum", 16384}}},
          {"policy", policy}}}}},
      {"server_name", {{"type", "string"}, {"description", "SNI sent in the hellos"}}},
      {"parallel",
       {{"type", "boolean"},
        {"description",
         "probe the five versions concurrently (default true); false keeps one connection open "
         "at a time, for services with a low session limit (RouterOS max-sessions)"}}},
      {"policy", policy},
  };
}

std::unique_ptr<CheckSpec> TlsProbe::parse(const json& check, const JsonPath& path,
                                           Diagnostics& diags, const ParseEnv& env) const {
  auto spec = std::make_unique<TlsSpec>();
  spec->server_name = get_string(check, path, "server_name", diags).value_or("");
  spec->parallel = get_bool(check, path, "parallel", diags).value_or(true);
  std::optional<std::string> policy = get_string(check, path, "policy", diags);
  JsonPath policy_path = path / "policy";
  auto it = check.find("expect");
  if (it == check.end() && !policy) {
    diags.error(path / "expect",
                "missing \"expect\" (or \"policy\"): e.g. {\"accept\": [\"TLSv1.2\"], \"reject\": "
                "[\"SSLv3\", \"TLSv1.0\", \"TLSv1.1\"]}");
  }
  if (it != check.end()) {
    const JsonPath ep = path / "expect";
    spec->expect_json = *it;
    if (check_keys(*it, ep,
                   {"accept", "reject", "forbid_ciphers", "require_forward_secrecy", "min_dh_bits",
                    "policy"},
                   diags)) {
      parse_versions(*it, ep, "accept", diags, spec->accept);
      parse_versions(*it, ep, "reject", diags, spec->reject);
      for (tls::Version v : spec->accept)
        if (std::find(spec->reject.begin(), spec->reject.end(), v) != spec->reject.end())
          diags.error(ep / "reject",
                      fmt::format("{} is both accepted and rejected", tls::to_string(v)));
      if (auto f = get_string_list(*it, ep, "forbid_ciphers", diags)) {
        for (std::size_t i = 0; i < f->size(); ++i) {
          const std::string& w = (*f)[i];
          if (auto c = tls::suite_class_from(w)) {
            spec->forbid_classes |= static_cast<std::uint32_t>(*c);
          } else if (const tls::CipherSuite* s = tls::find_suite(w)) {
            spec->forbid_suites.insert(s->code);
          } else {
            std::string msg =
                fmt::format("\"{}\" is neither a suite class nor a cipher suite name", w);
            if (auto m = did_you_mean(w, class_words()))
              msg += fmt::format("; did you mean \"{}\"?", *m);
            msg += fmt::format(" Classes: {}", fmt::join(class_words(), ", "));
            diags.error(ep / "forbid_ciphers" / i, msg);
          }
          spec->forbid_text.push_back(w);
        }
      }
      spec->require_forward_secrecy =
          get_bool(*it, ep, "require_forward_secrecy", diags).value_or(false);
      if (auto b = get_int(*it, ep, "min_dh_bits", diags, 512, 16384))
        spec->min_dh_bits = static_cast<int>(*b);
      if (auto p = get_string(*it, ep, "policy", diags)) {
        if (policy) diags.error(ep / "policy", "\"policy\" is given twice (check and expect)");
        policy = p;
        policy_path = ep / "policy";
      }
    }
  } else if (policy) {
    spec->expect_json = {{"policy", *policy}};
  }
  if (policy) {
    if (!spec->expect_json.contains("policy")) spec->expect_json["policy"] = *policy;
    try {
      spec->policy = tls::load_policy(*policy, env.base_dir);
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics())
        diags.error(policy_path,
                    d.file.empty() || d.file == *policy
                        ? d.message
                        : fmt::format("{}:{}:{}: {}", d.file, d.line, d.column, d.message));
    }
  }
  return spec;
}

std::vector<std::string> TlsObservation::accepted_versions() const {
  std::vector<std::string> out;
  for (const auto& v : scan.versions)
    if (v.accepted) out.emplace_back(tls::to_string(v.version));
  return out;
}

bool TlsObservation::any_tls_answer() const {
  for (const auto& v : scan.versions)
    if (v.first.kind == tls::HelloOutcome::Kind::kServerHello ||
        v.first.kind == tls::HelloOutcome::Kind::kAlert)
      return true;
  return false;
}

json TlsObservation::evidence() const {
  json versions = json::array();
  for (const auto& v : scan.versions) {
    json suites = json::array();
    for (const auto& s : v.suites) {
      const tls::CipherSuite* cs = tls::find_suite(s.code);
      json j = {{"code", fmt::format("0x{:04X}", s.code)},
                {"name", tls::suite_name(s.code)},
                {"openssl", cs ? cs->openssl : ""},
                {"classes", cs ? tls::class_names(cs->classes) : std::vector<std::string>{}}};
      if (s.dh_bits) j["dh_bits"] = *s.dh_bits;
      if (s.ecdh_group) j["group"] = tls::group_name(*s.ecdh_group);
      suites.push_back(j);
    }
    json j = {{"version", tls::to_string(v.version)},
              {"accepted", v.accepted},
              {"outcome", tls::to_string(v.first.kind)},
              {"detail", outcome_text(v.first)},
              {"suites", suites}};
    if (v.first.kind == tls::HelloOutcome::Kind::kAlert) j["alert"] = v.first.detail;
    j["determined"] = v.determined();
    if (v.refused) j["refused"] = true;
    if (v.enumeration_truncated) {
      j["enumeration_truncated"] = true;
      json untested = json::array();
      for (auto code : v.untested) untested.push_back(tls::suite_name(code));
      j["untested_suites"] = untested;
    }
    if (!v.notes.empty()) j["notes"] = v.notes;
    versions.push_back(j);
  }
  json e = {{"remote", remote},
            {"local_address", local_address},
            {"connections", scan.connections},
            {"elapsed_ms", std::round(elapsed_ms * 10) / 10},
            {"accepted_versions", accepted_versions()},
            {"versions", versions}};
  if (leaf) {
    e["certificate"] = cert_evidence(*leaf);
    e["certificate_source"] = leaf_source;
  }
  return e;
}

std::unique_ptr<Observation> TlsProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<TlsObservation>();
  const auto& spec = static_cast<const TlsSpec&>(ctx.spec);
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
  obs->remote = dst->to_string();
  if (ctx.source) obs->source = ctx.source->name;
  auto log = std::make_shared<ConnectLog>();
  tls::Connector connect = make_connector(ctx, *dst, log);
  tls::ScanOptions so;
  so.server_name = spec.server_name.empty() ? ctx.target.server_name : spec.server_name;
  // The check's own budget, not the scenario's timeout: a --timeout that
  // overrides it sizes the hellos too.
  so.per_hello = std::min(ctx.remaining(), std::chrono::milliseconds(2000));
  so.parallel = spec.parallel;
  // A fleet's scans fill the run from its first moment: they start narrow,
  // and make no connections ahead (see ScanOptions::lanes, connect_ahead).
  so.lanes = tls::lanes_while_busy(so.lanes, ctx.run.targets());
  so.connect_ahead = so.lanes == tls::ScanOptions{}.lanes;
  const auto t0 = Clock::now();
  obs->scan = tls::scan(connect, so, ctx.deadline);

  if (spec.policy && tls::policy_needs_certificate(*spec.policy)) {
    if (!obs->scan.certificates.empty()) {
      const auto& der = obs->scan.certificates.front();
      if (auto x = tls::x509_from_der(der.data(), der.size())) {
        obs->leaf = tls::describe(x.get(), std::time(nullptr));
        obs->leaf_source = "certificate message of the TLS <= 1.2 ServerHello flight";
      }
    }
    if (!obs->leaf && !obs->accepted_versions().empty()) {
      // TLS 1.3 encrypts the certificate: finish one real handshake for it.
      tls::Connection c = connect(Deadline::in(so.per_hello).earlier(ctx.deadline));
      if (c.fd) {
        tls::TlsOptions to;
        to.server_name = so.server_name;
        to.cipher_list = "ALL:!aNULL:@SECLEVEL=0";
        tls::TlsStream s(std::move(c.fd), to);
        if (s.handshake(Deadline::in(so.per_hello).earlier(ctx.deadline)).ok()) {
          auto chain = s.peer_chain();
          if (!chain.empty()) {
            obs->leaf = tls::describe(chain.front().get(), std::time(nullptr));
            obs->leaf_source = "OpenSSL handshake";
          }
        }
      }
    }
  }
  obs->elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  {
    std::lock_guard lock(log->mu);
    obs->local_address = log->local_ip;
    if (!log->mismatch.empty()) {
      obs->error = log->mismatch;
      return obs;
    }
  }
  for (const auto& v : obs->scan.versions) {
    if (v.enumeration_truncated)
      obs->warnings.push_back(
          fmt::format("{} suite enumeration incomplete", tls::to_string(v.version)));
    for (const auto& n : v.notes) obs->warnings.push_back(n);
  }
  // What the expectation needs and the scan did not show (decide() keeps a
  // check with any of these from passing).
  obs->unknowns = spec.unknowns(*obs);
  std::size_t suites = 0;
  for (const auto& v : obs->scan.versions) suites += v.suites.size();
  auto acc = obs->accepted_versions();
  obs->summary =
      acc.empty() ? "no version accepted"
                  : fmt::format("{} accepted; {}", fmt::join(acc, ", "), counted(suites, "suite"));
  return obs;
}

std::vector<results::Finding> TlsSpec::findings(const TlsObservation& obs) const {
  std::vector<results::Finding> out;
  auto add = [&](std::string kind, std::string item, std::string category, std::string text) {
    out.push_back({std::move(kind), std::move(item), std::move(category), std::move(text)});
  };
  auto result_of = [&](tls::Version v) -> const tls::VersionResult* {
    for (const auto& r : obs.scan.versions)
      if (r.version == v) return &r;
    return nullptr;
  };
  for (tls::Version v : accept) {
    const auto* r = result_of(v);
    if (r && r->refused)  // only a positive refusal: the rest is in unknowns()
      add("refused version", tls::to_string(v), "",
          fmt::format("{} refused ({}); expected accepted", tls::to_string(v),
                      outcome_text(r->first)));
  }
  for (tls::Version v : reject) {
    const auto* r = result_of(v);
    if (r && r->accepted)
      add("accepted version", tls::to_string(v), "",
          fmt::format("{} accepted; expected refused", tls::to_string(v)));
  }
  for (const auto& r : obs.scan.versions) {
    for (const auto& s : r.suites) {
      const tls::CipherSuite* cs = tls::find_suite(s.code);
      const std::uint32_t classes = cs ? cs->classes : 0;
      if ((classes & forbid_classes) != 0 || forbid_suites.count(s.code)) {
        // Counted under the first forbidden class it belongs to.
        auto names = tls::class_names(classes & forbid_classes);
        add("forbidden suite", tls::suite_name(s.code), names.empty() ? "listed" : names.front(),
            fmt::format("{} accepts forbidden suite {}", tls::to_string(r.version),
                        suite_label(s.code)));
      } else if (require_forward_secrecy && cs && cs->has(tls::SuiteClass::kNoForwardSecrecy)) {
        add("suite without forward secrecy", cs->iana, "",
            fmt::format("{} accepts {} without forward secrecy", tls::to_string(r.version),
                        cs->iana));
      }
      if (min_dh_bits && s.dh_bits && tls::ffdhe_exchange(s) && *s.dh_bits < *min_dh_bits)
        add("small DH group", tls::suite_name(s.code), fmt::format("{}-bit", *s.dh_bits),
            fmt::format("{} {} uses a {}-bit DH group (minimum {})", tls::to_string(r.version),
                        tls::suite_name(s.code), *s.dh_bits, *min_dh_bits));
    }
  }
  if (policy)
    for (const auto& d : tls::policy_deviations(*policy, obs.scan, obs.leaf))
      add("policy " + policy->name + " deviation", d.message, "",
          fmt::format("policy {}: {}", policy->name, d.message));
  return out;
}

std::vector<std::string> TlsSpec::unknowns(const TlsObservation& obs) const {
  std::vector<std::string> out;
  // Suites are judged on every version: a version never settled hides its
  // suites as much as a cut-short enumeration does.
  const bool judges_suites =
      forbid_classes || !forbid_suites.empty() || require_forward_secrecy || min_dh_bits || policy;
  for (const auto& r : obs.scan.versions) {
    const bool listed = std::find(accept.begin(), accept.end(), r.version) != accept.end() ||
                        std::find(reject.begin(), reject.end(), r.version) != reject.end();
    if ((listed || judges_suites) && !r.determined())
      out.push_back(
          fmt::format("{} neither accepted nor refused: {} (no alert; a close or reset "
                      "counts only when confirmed on a sequential retry)",
                      tls::to_string(r.version), outcome_text(r.first)));
    if (judges_suites && r.accepted && r.enumeration_truncated) {
      std::vector<std::string> names;
      for (auto code : r.untested) names.push_back(tls::suite_name(code));
      out.push_back(fmt::format(
          "{} suite enumeration incomplete: {} never answered{} (raise "
          "timeout_ms, or set \"parallel\": false for a service with a session limit)",
          tls::to_string(r.version), counted(r.untested.size(), "offered suite"),
          names.size() <= 5 ? fmt::format(" ({})", fmt::join(names, ", ")) : std::string()));
    }
    if (min_dh_bits && r.accepted)
      for (const auto& s : r.suites)
        if (auto u = tls::dh_size_unknown(r.version, s); !u.empty()) out.push_back(u);
  }
  if (policy)
    for (auto& u : tls::policy_unknowns(*policy, obs.scan, obs.leaf))
      out.push_back(fmt::format("policy {}: {}", policy->name, u));
  return out;
}

int TlsSpec::fds() const {
  // Every connection held (connections()), and a namespace fd.
  return parallel ? connections() + 1 : 3;
}

int TlsSpec::connections() const {
  const tls::ScanOptions so;
  const std::size_t ahead = so.connect_ahead ? so.max_in_flight : 0;
  return parallel ? static_cast<int>(so.max_in_flight + ahead) : 1;
}

Verdict TlsSpec::judge(const Observation& o) const {
  const auto& obs = static_cast<const TlsObservation&>(o);
  Verdict v;
  v.expected = expect_json.dump();
  if (!obs.error.empty()) return results::unobserved(v.expected, "could not probe: " + obs.error);
  if (!obs.any_tls_answer()) {
    // No ServerHello and no alert for any version: nothing was observed.
    v.status = Status::kError;
    v.observed = "no TLS answer";
    const bool unreachable =
        !obs.scan.versions.empty() &&
        std::all_of(obs.scan.versions.begin(), obs.scan.versions.end(), [](const auto& r) {
          return r.first.kind == tls::HelloOutcome::Kind::kNoConnection;
        });
    if (unreachable) {
      // Say it the way an operator reads a firewall problem.
      v.message = fmt::format("{} cannot reach {} ({}); no TLS version could be tested",
                              obs.source.empty() ? "this host" : obs.source, obs.remote,
                              obs.scan.versions.front().first.detail);
      return v;
    }
    std::vector<std::string> why;
    for (const auto& r : obs.scan.versions)
      why.push_back(fmt::format("{}: {}", tls::to_string(r.version), outcome_text(r.first)));
    v.message = fmt::format("no TLS answer from {} ({})", obs.remote, fmt::join(why, "; "));
    return v;
  }
  auto acc = obs.accepted_versions();
  v.observed = acc.empty() ? "none accepted" : fmt::format("{}", fmt::join(acc, ","));
  auto f = findings(obs);
  if (f.empty()) {
    // What could not be decided is in obs.unknowns (filled by observe() from
    // unknowns()): decide() keeps this pass from standing on it.
    v.status = Status::kPass;
    v.message = fmt::format("{}: {}", obs.remote, obs.summary);
    return v;
  }
  v.status = Status::kFail;
  std::string msg = fmt::format("{} on {}:", counted(f.size(), "finding"), obs.remote);
  for (std::size_t i = 0; i < f.size(); ++i) msg += fmt::format(" ({}) {};", i + 1, f[i].text);
  msg.pop_back();
  v.message = msg;
  v.findings = std::move(f);
  return v;
}

}  // namespace vantage::probes
