// The rest probe's observation: one GET from the check's source, classified.
#include <fmt/format.h>

#include <algorithm>

#include "core/json_config.hpp"
#include "core/redact.hpp"
#include "net/sockaddr.hpp"
#include "probes/rest/rest_probe.hpp"

namespace vantage::probes {

namespace {

// RouterOS REST answers a request the user's group lacks a policy for with
// 500 and "not allowed (9)" (no api policy) or "not enough permissions" (no
// read) in the body (routeros-facts.md): a refusal, not a server fault.
bool permission_answer(const HttpResponse& r, const std::string& router_message) {
  return r.status == 500 && (router_message.find("not allowed (9)") != std::string::npos ||
                             router_message.find("not enough permissions") != std::string::npos);
}

// Every string the endpoint sent (or derived from it) through the redactor,
// cut first: headers, reason phrase, messages, the body excerpt.
void redact_network_text(RestObservation& o, const Redactor& r) {
  constexpr std::size_t kLen = 512;
  for (std::string* f :
       {&o.contact_detail, &o.reason, &o.router_message, &o.login.message, &o.error})
    *f = r.redact(*f, kLen);
  for (auto& u : o.unknowns) u = r.redact(u, kLen);
  if (!o.response) return;
  o.response->reason = r.redact(o.response->reason, 128);
  o.response->detail = r.redact(o.response->detail, kLen);
  for (auto& [k, v] : o.response->headers) {
    k = r.redact(k, 128);
    v = r.redact(v, 256);
  }
}

bool all_string_values(const json& j) {
  if (!j.is_object()) return false;
  for (const auto& [k, v] : j.items())
    if (!v.is_string()) return false;
  return true;
}

// Whether an HTTP answer is RouterOS's REST API, and why.
bool is_routeros_rest(const HttpResponse& r, std::string& why, std::string& message) {
  // A hostile server's nesting is refused before parsing (what reads the
  // value afterwards recurses).
  const json body =
      json_too_deep(r.body) ? json(json::value_t::discarded) : json::parse(r.body, nullptr, false);
  if (body.is_discarded()) {
    why = fmt::format(
        "HTTP {} with a body that is not JSON ({})", r.status,
        r.header("Content-Type").empty() ? "no Content-Type" : r.header("Content-Type"));
    return false;
  }
  if (r.status >= 200 && r.status < 300) {
    const bool rows =
        body.is_array() && !body.empty() &&
        std::all_of(body.begin(), body.end(), [](const json& x) { return all_string_values(x); });
    if (all_string_values(body) || rows || (body.is_array() && body.empty())) {
      why = fmt::format("HTTP {} with JSON whose values are all strings, as RouterOS REST returns",
                        r.status);
      return true;
    }
    why = fmt::format("HTTP {} with JSON that is not shaped like RouterOS REST (non-string values)",
                      r.status);
    return false;
  }
  if (body.is_object() && body.contains("error") && body["error"].is_number_integer() &&
      body.contains("message") && body["message"].is_string()) {
    message = body["message"].get<std::string>();
    if (body.contains("detail") && body["detail"].is_string())
      message += ": " + body["detail"].get<std::string>();
    why = fmt::format("HTTP {} with RouterOS's JSON error body", r.status);
    return true;
  }
  why = fmt::format("HTTP {} with JSON that is not RouterOS's error body", r.status);
  return false;
}

}  // namespace

json RestObservation::evidence() const {
  json e = SessionContact::to_json();
  e["local_address"] = local_address;
  e["path"] = path;
  e["request"] = request;
  e["sent_credentials"] = sent_credentials;
  if (!classification.empty()) e["classification"] = classification;
  if (!reason.empty()) e["reason"] = reason;
  if (response) {
    json r = {{"state", to_string(response->state)}, {"bytes", response->bytes_received}};
    if (response->state == HttpResponse::State::kResponse) {
      r["status"] = response->status;
      r["reason"] = response->reason;
      json h = json::object();
      for (const auto& [k, v] : response->headers) h[k] = v;  // cut and redacted in observe()
      r["headers"] = h;
      r["body_excerpt"] = body_excerpt;
    } else {
      r["detail"] = response->detail;
    }
    e["response"] = r;
  }
  if (!router_message.empty()) e["router_message"] = router_message;
  e["login"] = login.to_json();
  return e;
}

namespace {

// Connects, sends one GET (with Basic credentials when the check has a login
// and the session may carry them) and classifies the answer into `obs`.
void exchange(const ProbeContext& ctx, const RestSpec& spec, const net::SockAddr& dst,
              const std::string& password, RestObservation& obs) {
  ConnectParams cp;
  cp.tls = &spec.tls;
  cp.settle = std::chrono::milliseconds(0);
  cp.attempts = ctx.check.attempts;
  AppConnection conn = app_connect(ctx, dst, cp, ctx.deadline);
  obs.local_address = conn.local_ip;
  obs.take(conn);
  if (!conn.source_mismatch.empty()) {
    obs.error = conn.source_mismatch;
    return;
  }
  if (conn.contact == Contact::kSetupError || conn.contact == Contact::kTlsFailed) {
    obs.error = conn.detail;
    return;
  }
  if (conn.contact == Contact::kSilent) {
    // Accepted, then no TLS handshake before the deadline: a slow or loaded
    // server looks the same as none, so this proves no absence of HTTP.
    obs.error = "the port accepted the connection, then " + conn.detail +
                ": no answer is not proof that nothing serves HTTP there";
    return;
  }
  if (conn.contact != Contact::kOpen) {
    obs.classification = "no-http";
    obs.reason = conn.detail;
    return;
  }
  if (spec.credentials && conn.anonymous) {
    obs.error =
        "credentials not sent: the TLS session is anonymous (the peer showed no certificate: "
        "www-ssl with certificate=none, or a man in the middle), and vantage never hands a "
        "password to a peer that cannot prove who it is; give www-ssl a certificate and set "
        "ca_file";
    return;
  }
  HttpRequest req;
  req.target = spec.path;
  const bool default_port =
      (spec.tls.enabled && obs.port == 443) || (!spec.tls.enabled && obs.port == 80);
  const std::string host = !ctx.target.server_name.empty() ? ctx.target.server_name
                           : dst.family() == AF_INET6      ? "[" + dst.ip() + "]"
                                                           : ctx.target.host;
  req.host = default_port ? host : host + ":" + std::to_string(obs.port);
  req.fields.emplace_back("User-Agent", "vantage");
  req.fields.emplace_back("Accept", "application/json");
  if (spec.credentials) {
    req.fields.emplace_back("Authorization",
                            "Basic " + base64_encode(spec.credentials->user + ":" + password));
    obs.sent_credentials = true;
  }
  {
    HttpRequest shown = req;
    for (auto& [k, v] : shown.fields)
      if (k == "Authorization") v = "Basic <redacted: " + spec.credentials->user + ":password>";
    obs.request = shown.serialize();
  }
  HttpResponse resp = http_exchange(*conn.stream, req, HttpLimits{}, ctx.deadline);
  obs.body_excerpt = resp.body;  // cut and redacted with the other fields
  obs.response = resp;
  obs.response->body.clear();  // only the excerpt is kept
  switch (resp.state) {
    case HttpResponse::State::kNoResponse:
      if (resp.io_end == net::IoResult::Status::kTimeout) {
        // Connected and asked, then silence: not an answer.
        obs.error = "connected, then no HTTP answer before the deadline (" + resp.detail +
                    "): silence is not proof that nothing serves HTTP there";
        break;
      }
      obs.classification = "no-http";
      obs.contact = contact_from_io(resp.io_end);
      obs.reason = resp.detail;
      break;
    case HttpResponse::State::kNotHttp:
      obs.classification = "no-http";
      obs.reason = resp.detail;
      break;
    case HttpResponse::State::kTooLarge:
    case HttpResponse::State::kIncomplete: obs.error = resp.detail; break;
    case HttpResponse::State::kResponse: {
      std::string why, message;
      const bool rest = is_routeros_rest(resp, why, message);
      obs.classification = rest ? "rest-api" : "not-rest";
      obs.reason = why;
      obs.router_message = message;
      if (resp.status >= 300 && resp.status < 400)
        obs.reason += "; redirect to " + resp.header("Location") + " (not followed)";
      break;
    }
  }
  if (!spec.credentials) return;
  if (obs.classification == "rest-api" && resp.status >= 200 && resp.status < 300) {
    obs.login.outcome = StepOutcome::kOk;
  } else if (obs.classification == "rest-api" && (resp.status == 401 || resp.status == 403 ||
                                                  permission_answer(resp, obs.router_message))) {
    obs.login.outcome = StepOutcome::kDenied;
    obs.login.message = fmt::format("{} {}", resp.status, obs.router_message);
  } else {
    obs.login.outcome = StepOutcome::kError;
    obs.login.message = obs.error.empty() ? obs.reason : obs.error;
  }
  if (!spec.tls.enabled)
    obs.warnings.push_back("Basic credentials of " + spec.credentials->user +
                           " crossed the wire in clear text over plain HTTP "
                           "(allow_plaintext_credentials is set)");
  else if (!obs.verified_tls)
    obs.warnings.push_back(
        "credentials were sent over TLS without certificate verification "
        "(set ca_file to verify the router)");
}

}  // namespace

std::unique_ptr<Observation> RestProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<RestObservation>();
  const auto& spec = static_cast<const RestSpec&>(ctx.spec);
  obs->port = ctx.check.port;
  obs->tls = spec.tls.enabled;
  obs->path = spec.path;
  obs->source_name = ctx.source ? ctx.source->name : "";
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
  obs->remote = dst->to_string();
  std::string password;
  if (spec.credentials) {
    std::string err;
    auto pw = read_password(*spec.credentials, err);
    if (!pw) {
      obs->error = err;
      return obs;
    }
    password = *pw;
  }
  Redactor redactor;
  if (spec.credentials) redactor.add_credentials(spec.credentials->user, password);
  exchange(ctx, spec, *dst, password, *obs);
  obs->body_excerpt = redactor.redact(obs->body_excerpt, 1024);
  redact_network_text(*obs, redactor);
  if (!obs->classification.empty())
    obs->summary = obs->classification + " (" + obs->reason + ")";
  else
    obs->summary = "error: " + obs->error;
  return obs;
}

}  // namespace vantage::probes
