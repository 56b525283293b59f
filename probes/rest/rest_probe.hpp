#pragma once
// The rest probe: GET a RouterOS REST path (default /rest/system/resource)
// over HTTP or HTTPS, with or without Basic auth, and classify the answer:
//   rest-api  a RouterOS REST answer: 2xx JSON whose values are all strings,
//             or an error with RouterOS's JSON body {"error":N,"message":...}
//             (a 401 included: the API is there, it wants credentials);
//   not-rest  an HTTP answer that is not RouterOS REST (a redirect included:
//             redirects are never followed);
//   no-http   no connection, or no HTTP answer.
// Real credentials over plain HTTP need "allow_plaintext_credentials": true.
#include <optional>
#include <string>

#include "probes/probe.hpp"
#include "probes/rest/http_client.hpp"
#include "probes/session/session.hpp"

namespace vantage::probes {

// The contact fields (remote, port, tls, contact, ...) come from SessionContact.
struct RestObservation : Observation, SessionContact {
  std::string path;
  std::string request;  // as sent, Authorization redacted
  bool sent_credentials = false;
  std::optional<HttpResponse> response;
  std::string body_excerpt;    // bounded, secrets redacted
  std::string classification;  // rest-api | not-rest | no-http (empty: error)
  std::string reason;          // why that classification
  std::string router_message;  // "message" of a RouterOS JSON error
  ApiStep login;
  json evidence() const override;
};

// The session settings (tls, credentials, allow_plaintext) come from SessionSpec.
class RestSpec final : public CheckSpec, public SessionSpec {
 public:
  std::string expect_word;  // rest-api | not-rest | no-http | no-rest-on-plain-http | auth-required
  std::optional<std::string> login;  // object form: "ok" | "denied"
  json expect_json;
  std::string path = "/rest/system/resource";
  Verdict judge(const Observation& obs) const override;
  json expected() const override { return expect_json; }
};

class RestProbe final : public Probe {
 public:
  std::string_view name() const override { return "rest"; }
  std::string_view summary() const override {
    return "RouterOS REST API over HTTP/HTTPS: rest-api / not-rest / no-http, auth required, "
           "login, no REST on plain HTTP";
  }
  json schema() const override;
  std::unique_ptr<CheckSpec> parse(const json& check, const JsonPath& path, Diagnostics& diags,
                                   const ParseEnv& env) const override;
  std::unique_ptr<Observation> observe(const ProbeContext& ctx) const override;
};

}  // namespace vantage::probes
