// Detection: does the first connection speak the RouterOS API, and if not,
// how was it refused (reset, close, silence) or what else answered?
#include <fmt/format.h>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

bool detect(ApiRun& run, Session& s, Deadline window) {
  const auto t0 = Clock::now() - s.took;
  run.obs.take(s.conn);
  run.obs.local_address = s.conn.local_ip;
  if (!s.conn.source_mismatch.empty()) {
    run.obs.error = s.conn.source_mismatch;
    return false;
  }
  auto waited = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  };
  // A plain API port meets a ClientHello with whatever its parser makes of
  // the hello's random bytes: a !fatal (bytes that are not TLS), a close or
  // reset (a framing error), or a wait for more (silence). None of them is
  // evidence by itself; an answer to a plain /login is, however the hello
  // happened to end.
  auto plain_api_instead = [&] {
    if (!run.spec.tls.enabled || !run.speaks_plain_api(run.ctx.deadline)) return false;
    run.obs.error =
        "the port answers the plain RouterOS API, not TLS: set \"tls\": false (this is the "
        "api service, not api-ssl)";
    return true;
  };
  switch (s.conn.contact) {
    case Contact::kOpen: break;
    case Contact::kTlsFailed:
      // The peer sent no alert and no certificate: it may not speak TLS.
      if (s.conn.detail.rfind("TLS handshake: ", 0) == 0 &&
          s.conn.detail.find(", alert ") == std::string::npos &&
          s.conn.detail.find("certificate not trusted") == std::string::npos && plain_api_instead())
        return false;
      run.obs.error = s.conn.detail;
      return false;
    case Contact::kSetupError: run.obs.error = s.conn.detail; return false;
    case Contact::kSilent:
      // A TLS handshake that timed out. With a control, the control tells
      // whether the port speaks TLS at all; without one, ask it in plain API.
      if (!run.spec.silent_allowed() && plain_api_instead()) return false;
      run.obs.access = "no-api";
      run.silence(waited());
      return false;
    default: run.obs.access = "no-api"; return false;
  }
  run.obs.detection_sent = true;
  auto r = run.call(s, run.detection(), run.spec.silent_allowed() ? window : run.ctx.deadline);
  if (r.sentences.empty()) {
    switch (r.end) {
      case End::kNotApi:
        run.obs.access = "not-api";
        run.obs.contact_detail = r.detail;
        break;
      case End::kEof:
      case End::kReset:
      case End::kTimeout:
        if (s.ch->bytes_received() == 0) {
          if (!run.spec.tls.enabled && r.end != End::kTimeout &&
              run.speaks_tls(
                  Deadline::in(std::chrono::milliseconds(1500)).earlier(run.ctx.deadline))) {
            run.obs.access = "not-api";
            run.obs.contact_detail =
                "it closed the connection on a plain API request, and answers TLS: the port "
                "speaks TLS (api-ssl?), set \"tls\": true to probe it";
            return false;
          }
          run.obs.access = "no-api";
          run.obs.contact_detail = "no answer to /login: " + r.detail;
          if (r.end == End::kTimeout) {
            run.obs.contact = Contact::kSilent;
            run.silence(waited());
            break;
          }
          // Closed after the /login, not within the settle window: a refusal
          // at accept only if a quiet connection is refused too; otherwise
          // the service went silent and then gave up, which is silence.
          if (AppConnection quiet;
              refused_when_quiet(run.ctx, run.dst, ConnectParams{}, run.ctx.deadline, quiet)) {
            run.obs.contact = quiet.contact;
            run.obs.contact_detail += "; " + quiet.detail;
          } else {
            run.obs.contact = Contact::kSilent;
            run.obs.contact_detail +=
                ", and only after a silence: a connection that sent nothing was not refused";
            run.silence(waited());
          }
          break;
        }
        [[fallthrough]];
      default: run.obs.error = "the answer to /login broke off: " + r.detail; break;
    }
    return false;
  }
  if (r.end == End::kProtocol) {
    // API framing that breaks the limits or the grammar: hostile or broken.
    run.obs.error = "the answer to /login broke the API protocol: " + r.detail;
    return false;
  }
  run.obs.access = "api";
  run.obs.first_reply = r.first_text();
  if (r.first() == "!done") {
    if (auto ret = r.sentences.front().attr("ret")) {
      run.obs.legacy_login = true;
      run.obs.legacy_detail = "/login answered with !done =ret=" + *ret;
    } else {
      run.obs.dummy_login_accepted = true;
      s.logged_in = true;
      run.obs.warnings.push_back(std::string("the router accepted a login as the dummy user ") +
                                 routeros::kDetectionUser + " with an empty password");
    }
  }
  return true;
}

}  // namespace vantage::probes::api
