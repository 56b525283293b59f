#include "probes/certificate_probe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "core/plural.hpp"
#include "net/sockaddr.hpp"
#include "probes/session/tls_connector.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/scanner.hpp"
#include "tls/server_response.hpp"
#include "tls/tls_stream.hpp"

namespace vantage::probes {

namespace {

const char* match_text(tls::NameMatch m) {
  switch (m) {
    case tls::NameMatch::kMatch: return "match";
    case tls::NameMatch::kMismatch: return "mismatch";
    case tls::NameMatch::kMatchByCommonName: return "match (subject CN, certificate has no SAN)";
  }
  return "?";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

json CertificateProbe::schema() const {
  return {
      {"expect",
       {{"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"trust",
           {{"description",
             "\"system\", {\"ca_file\": PATH} or {\"pin\": SHA256 hex of certificate or SPKI, or "
             "sha256/BASE64 of SPKI; a string or a list}"},
            {"oneOf", json::array({{{"const", "system"}},
                                   {{"type", "object"},
                                    {"additionalProperties", false},
                                    {"properties",
                                     {{"ca_file", {{"type", "string"}}},
                                      {"pin",
                                       {{"oneOf", json::array({{{"type", "string"}},
                                                               {{"type", "array"},
                                                                {"items", {{"type", "string"}}},
                                                                {"minItems", 1}}})}}}}}}})}}},
          {"name",
           {{"type", "string"}, {"description", "DNS name or IP the certificate must carry"}}},
          {"min_days_left", {{"type", "integer"}, {"minimum", 0}}},
          {"min_rsa_bits", {{"type", "integer"}, {"minimum", 512}}},
          {"min_ec_bits", {{"type", "integer"}, {"minimum", 160}}},
          {"forbid_signatures",
           {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"description", "hash names (sha1, md5) or signature algorithm names"}}}}}}},
      {"server_name", {{"type", "string"}, {"description", "SNI sent in the handshake"}}},
  };
}

std::unique_ptr<CheckSpec> CertificateProbe::parse(const json& check, const JsonPath& path,
                                                   Diagnostics& diags, const ParseEnv& env) const {
  auto spec = std::make_unique<CertificateSpec>();
  spec->server_name = get_string(check, path, "server_name", diags).value_or("");
  auto it = check.find("expect");
  if (it == check.end()) {
    spec->expect_json = json::object();  // defaults: system trust, target name, validity
    return spec;
  }
  const JsonPath ep = path / "expect";
  spec->expect_json = *it;
  if (!check_keys(
          *it, ep,
          {"trust", "name", "min_days_left", "min_rsa_bits", "min_ec_bits", "forbid_signatures"},
          diags))
    return spec;
  if (auto t = it->find("trust"); t != it->end()) {
    const JsonPath tp = ep / "trust";
    if (t->is_string()) {
      if (*t != "system")
        diags.error(tp, "trust must be \"system\", {\"ca_file\": ...} or {\"pin\": ...}");
    } else if (check_keys(*t, tp, {"ca_file", "pin"}, diags)) {
      if (auto ca = get_string(*t, tp, "ca_file", diags)) {
        std::filesystem::path p(*ca);
        if (p.is_relative()) p = env.base_dir / p;
        if (!std::filesystem::exists(p))
          diags.error(tp / "ca_file", "CA file not found: " + p.string());
        spec->ca_file = p.string();
        spec->system_trust = false;
      }
      if (auto pins = get_string_list(*t, tp, "pin", diags)) {
        for (std::size_t i = 0; i < pins->size(); ++i)
          if (!tls::valid_pin((*pins)[i]))
            diags.error(tp / "pin" / i,
                        "a pin is 64 hex digits (SHA-256 of the certificate or its SPKI) or "
                        "sha256/BASE64 of the SPKI");
        spec->pins = *pins;
        spec->system_trust = false;
      }
      if (!t->contains("ca_file") && !t->contains("pin"))
        diags.error(tp, "trust needs \"ca_file\" or \"pin\" (or use \"system\")");
    }
  }
  spec->name = get_string(*it, ep, "name", diags).value_or("");
  if (auto v = get_int(*it, ep, "min_days_left", diags, 0, 100000))
    spec->min_days_left = static_cast<int>(*v);
  if (auto v = get_int(*it, ep, "min_rsa_bits", diags, 512, 65536))
    spec->min_rsa_bits = static_cast<int>(*v);
  if (auto v = get_int(*it, ep, "min_ec_bits", diags, 160, 1024))
    spec->min_ec_bits = static_cast<int>(*v);
  if (auto v = get_string_list(*it, ep, "forbid_signatures", diags))
    for (const auto& s : *v) spec->forbid_signatures.push_back(lower(s));
  return spec;
}

json CertificateObservation::evidence() const {
  json certs = json::array();
  for (const auto& c : chain) certs.push_back(cert_evidence(c));
  json e = {{"remote", remote},        {"local_address", local_address},
            {"anonymous", anonymous},  {"version", version},
            {"cipher", cipher},        {"chain", certs},
            {"trust_mode", trust_mode}};
  if (!first_failure.empty()) e["authenticated_handshake_failure"] = first_failure;
  if (!chain.empty()) {
    e["chain_in_order"] = chain_report.in_order;
    if (!chain_report.order_problem.empty()) e["chain_order_problem"] = chain_report.order_problem;
    e["chain_complete"] = chain_report.complete;
    if (trust_mode != "pin") {
      e["trusted"] = chain_report.trusted;
      if (!chain_report.trust_error.empty()) e["trust_error"] = chain_report.trust_error;
    }
    if (pin_match) {
      e["pin_matched"] = *pin_match;
      e["pin_verified"] = pin_verified;
      if (!pin_error.empty()) e["pin_error"] = pin_error;
    }
    e["key_possession_proven"] = key_possession_proven;
    if (!name.empty()) {
      e["name"] = name;
      if (name_match) e["name_match"] = match_text(*name_match);
    }
  }
  return e;
}

std::unique_ptr<Observation> CertificateProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<CertificateObservation>();
  const auto& spec = static_cast<const CertificateSpec&>(ctx.spec);
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
  obs->remote = dst->to_string();
  auto log = std::make_shared<ConnectLog>();
  tls::Connector connect = make_connector(ctx, *dst, log);
  const std::string sni = spec.server_name.empty() ? ctx.target.server_name : spec.server_name;

  // Authenticated first, with every suite the library has; then, on a
  // handshake failure, anonymous DH only (RouterOS api-ssl certificate=none).
  auto attempt = [&](const std::string& ciphers, bool tls12_max,
                     std::string& failure) -> std::optional<tls::TlsStream> {
    tls::Connection c = connect(ctx.deadline);
    if (!c.fd) {
      failure = c.error;
      return std::nullopt;
    }
    tls::TlsOptions to;
    to.server_name = sni;
    to.cipher_list = ciphers;
    if (tls12_max) to.max_version = tls::Version::kTls12;
    tls::TlsStream s(std::move(c.fd), to);
    net::IoResult r = s.handshake(ctx.deadline);
    if (r.ok()) return s;
    failure = std::string(net::to_string(r.status)) + (r.detail.empty() ? "" : ": " + r.detail);
    if (s.peer_alert()) failure = "alert " + tls::alert_name(*s.peer_alert());
    return std::nullopt;
  };
  std::string fail1, fail2;
  auto stream = attempt("ALL:eNULL:!aNULL:@SECLEVEL=0", false, fail1);
  if (!stream && fail1.rfind("alert ", 0) == 0) {
    stream = attempt("aNULL:@SECLEVEL=0", true, fail2);
    if (stream) obs->anonymous = true;
  }
  // Last resort for servers OpenSSL 3 cannot talk to (SSLv3, RC4/3DES-only):
  // a hand-built hello; up to TLS 1.2 the certificate travels in the clear.
  std::vector<tls::X509Ptr> chain;
  if (!stream) {
    for (tls::Version v : {tls::Version::kTls12, tls::Version::kTls10, tls::Version::kSsl3}) {
      if (ctx.deadline.expired()) break;
      tls::HelloOptions ho;
      ho.version = v;
      ho.suites = tls::legacy_suite_codes();
      ho.server_name = sni;
      auto o = tls::try_hello(connect, ho, ctx.deadline, std::chrono::milliseconds(3000));
      if (o.kind != tls::HelloOutcome::Kind::kServerHello || o.hello.version != tls::wire(v))
        continue;
      const tls::CipherSuite* cs = tls::find_suite(o.hello.suite);
      obs->version = tls::to_string(v);
      obs->cipher = tls::suite_name(o.hello.suite);
      obs->anonymous = cs && cs->has(tls::SuiteClass::kAnonymous) && o.hello.certificates.empty();
      for (const auto& der : o.hello.certificates)
        if (auto x = tls::x509_from_der(der.data(), der.size())) chain.push_back(std::move(x));
      obs->warnings.push_back("certificate read from a hand-built " + obs->version +
                              " hello: OpenSSL could not complete a handshake (" + fail1 + ")");
      if (!chain.empty() || obs->anonymous) break;
    }
  }
  {
    std::lock_guard lock(log->mu);
    obs->local_address = log->local_ip;
    if (!log->mismatch.empty()) {
      obs->error = log->mismatch;
      return obs;
    }
  }
  if (!stream && chain.empty() && !obs->anonymous &&
      (fail1 == "TCP filtered" || fail1 == "TCP closed" || fail1 == "TCP unreachable")) {
    // The connection itself failed: a reachability problem, said as one.
    obs->error = (ctx.source ? ctx.source->name : std::string("this host")) + " cannot reach " +
                 obs->remote + " (" + fail1 + "); no certificate could be retrieved";
    return obs;
  }
  if (!stream && chain.empty() && !obs->anonymous) {
    obs->error = "TLS handshake failed: " + fail1 +
                 (fail2.empty() ? "" : "; with anonymous suites: " + fail2);
    return obs;
  }
  obs->first_failure = obs->anonymous ? fail1 : "";
  if (stream) {
    obs->version = stream->version();
    obs->cipher = stream->cipher();
    chain = stream->peer_chain();
    obs->key_possession_proven = !chain.empty();
  }
  const std::time_t now = std::time(nullptr);
  for (const auto& c : chain) obs->chain.push_back(tls::describe(c.get(), now));
  obs->trust_mode = !spec.pins.empty() ? "pin" : (!spec.ca_file.empty() ? "ca_file" : "system");
  if (!chain.empty()) {
    try {
      obs->chain_report = tls::check_chain(chain, spec.ca_file);
    } catch (const Error& e) {
      obs->error = e.what();
      return obs;
    }
    try {
      const tls::PinReport pr = tls::check_pins(chain, spec.pins);
      obs->pin_match = pr.matched;
      obs->pin_verified = pr.verified;
      obs->pin_error = pr.error;
    } catch (const Error& e) {
      obs->error = e.what();
      return obs;
    }
    if (!obs->key_possession_proven)
      obs->unknowns.push_back(
          "trust: the chain was read from a hand-built " + obs->version +
          " hello and no handshake proved the server holds the certificate's key (anyone can "
          "replay a public chain); " +
          obs->trust_mode + " trust cannot pass on it");
    obs->name = spec.name.empty() ? expected_server_name(ctx, "") : spec.name;
    if (!obs->name.empty()) obs->name_match = tls::match_name(chain.front().get(), obs->name);
  }
  if (obs->anonymous)
    obs->summary = fmt::format("unauthenticated: anonymous suite {} ({}), no certificate",
                               obs->cipher, obs->version);
  else if (obs->chain.empty())
    obs->summary = "no certificate";
  else
    obs->summary = fmt::format(
        "{} ({} {}), {}", obs->chain.front().subject, obs->chain.front().key_type,
        obs->chain.front().key_bits,
        obs->chain.front().days_left < 0
            ? std::string("expired")
            : counted(static_cast<std::size_t>(obs->chain.front().days_left), "day") + " left");
  return obs;
}

std::vector<results::Finding> CertificateSpec::findings(const CertificateObservation& obs) const {
  std::vector<results::Finding> out;
  auto add = [&](std::string kind, std::string item, std::string category, std::string text) {
    out.push_back({std::move(kind), std::move(item), std::move(category), std::move(text)});
  };
  if (obs.anonymous) {
    add("unauthenticated endpoint", obs.cipher, "anonymous suite",
        fmt::format("endpoint is unauthenticated: it negotiated anonymous suite {} and sent no "
                    "certificate (authenticated handshake: {})",
                    obs.cipher, obs.first_failure));
    return out;
  }
  if (obs.chain.empty()) {
    add("unauthenticated endpoint", "no certificate", "",
        "endpoint is unauthenticated: no certificate was sent");
    return out;
  }
  const tls::CertInfo& leaf = obs.chain.front();
  if (!pins.empty()) {
    if (!obs.pin_match)
      add("pin mismatch", leaf.subject, "",
          fmt::format("no certificate in the chain matches the {}",
                      pins.size() == 1 ? "pin" : "pins"));
    else if (!obs.pin_verified)
      add("pin mismatch", leaf.subject, "unverified",
          fmt::format("the chain does not verify to the pinned certificate ({}): {}; a pin is "
                      "satisfied only by a leaf whose signatures lead to it",
                      *obs.pin_match, obs.pin_error));
  } else if (!obs.chain_report.trusted) {
    add("untrusted chain", leaf.subject, "",
        fmt::format("not trusted by {}: {}", ca_file.empty() ? "the system store" : ca_file,
                    obs.chain_report.trust_error));
  }
  if (obs.name_match && *obs.name_match == tls::NameMatch::kMismatch) {
    std::vector<std::string> ids = leaf.dns_names;
    ids.insert(ids.end(), leaf.ip_addresses.begin(), leaf.ip_addresses.end());
    add("name mismatch", obs.name, "",
        fmt::format("name {} not in the certificate (SANs: {}{})", obs.name,
                    ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", ")),
                    ids.empty() ? "; CN " + leaf.common_name : ""));
  }
  for (std::size_t i = 0; i < obs.chain.size(); ++i) {
    const auto& c = obs.chain[i];
    const std::string who = i == 0 ? "certificate" : fmt::format("chain[{}] ({})", i, c.subject);
    if (c.expired)
      add("expired certificate", c.subject, "", fmt::format("{} expired on {}", who, c.not_after));
    if (c.not_yet_valid)
      add("certificate not yet valid", c.subject, "",
          fmt::format("{} not valid before {}", who, c.not_before));
    for (const auto& f : forbid_signatures)
      // A self-signed anchor's own signature is never checked by clients.
      if ((i == 0 || !c.self_signed) && (c.signature_hash == f || lower(c.signature) == f))
        add("forbidden signature", c.subject, c.signature,
            fmt::format("{} is signed with forbidden {}", who, c.signature));
  }
  if (min_days_left && !leaf.expired && leaf.days_left < *min_days_left)
    add("expiring certificate", leaf.subject, "",
        fmt::format(
            "certificate expires in {} (minimum {})",
            counted(static_cast<std::size_t>(std::max<std::int64_t>(0, leaf.days_left)), "day"),
            *min_days_left));
  if (min_rsa_bits && (leaf.key_type == "RSA" || leaf.key_type == "RSA-PSS") &&
      leaf.key_bits < *min_rsa_bits)
    add("weak key", leaf.subject, "RSA",
        fmt::format("RSA key of {} bits (minimum {})", leaf.key_bits, *min_rsa_bits));
  if (min_ec_bits && leaf.key_type == "EC" && leaf.key_bits < *min_ec_bits)
    add("weak key", leaf.subject, "EC",
        fmt::format("EC key of {} bits (minimum {})", leaf.key_bits, *min_ec_bits));
  if (leaf.has_eku && !leaf.eku_server_auth)
    add("certificate without serverAuth", leaf.subject, "",
        "extended key usage present without serverAuth");
  if (!obs.chain_report.in_order)
    add("misordered chain", leaf.subject, "",
        "chain out of order: " + obs.chain_report.order_problem);
  if (!obs.chain_report.complete)
    add("incomplete chain", leaf.subject, "",
        "chain incomplete: the server does not send the intermediates up to a trust anchor");
  return out;
}

Verdict CertificateSpec::judge(const Observation& o) const {
  const auto& obs = static_cast<const CertificateObservation&>(o);
  Verdict v;
  v.expected = expect_json.dump();
  if (!obs.error.empty())
    return results::unobserved(v.expected, "could not observe the certificate: " + obs.error);
  v.observed = obs.anonymous ? "unauthenticated"
                             : (obs.chain.empty() ? "no certificate" : obs.chain.front().subject);
  auto f = findings(obs);
  if (f.empty()) {
    v.status = Status::kPass;
    v.message = fmt::format("{}: {}", obs.remote, obs.summary);
    return v;
  }
  v.status = Status::kFail;
  if (f.size() == 1) {
    v.message = f.front().text;
  } else {
    std::string msg = fmt::format("{} on {}:", counted(f.size(), "finding"), obs.remote);
    for (std::size_t i = 0; i < f.size(); ++i) msg += fmt::format(" ({}) {};", i + 1, f[i].text);
    msg.pop_back();
    v.message = msg;
  }
  v.findings = std::move(f);
  return v;
}

}  // namespace vantage::probes
