#pragma once
// Inside the routeros-api probe's observation (not part of its interface):
// one ApiRun per check holds what every sub-test needs (the context, the
// spec, the observation being filled, the destination) and the steps they
// share (connect, one request, login). Each sub-test is a function in its
// own file: detect.cpp, legacy_login.cpp, least_privilege.cpp,
// pre_login.cpp, max_sessions.cpp; api_observe.cpp runs them in order.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "probes/routeros_api/routeros_api_probe.hpp"

namespace vantage::probes::api {

using routeros::Sentence;
using End = ApiChannel::End;

// One API connection and its channel.
struct Session {
  AppConnection conn;
  std::unique_ptr<ApiChannel> ch;
  int no = 0;
  bool open = false;  // usable for another request
  bool logged_in = false;
  Clock::duration took{};  // how long connect() took (TCP, settle, TLS)
};

struct ApiRun {
  ApiRun(const ProbeContext& c, const RouterosApiSpec& s, ApiObservation& o, const net::SockAddr& d)
      : ctx(c), spec(s), obs(o), dst(d), budget(c.remaining()) {}

  // Connects (TLS when asked); the transcript records how.
  Session connect(Deadline dl, bool first, bool settle = false, const TlsSettings* tls = nullptr);
  // Sends one sentence and reads its reply; marks the session closed when the
  // reply did not end in !done.
  ApiChannel::Reply call(Session& s, const Sentence& req, Deadline dl);
  // The detection sentence: /login as the dummy user, empty password.
  Sentence detection() const;
  // Real login; fills `step` when given. Never over an anonymous TLS session.
  bool login(Session& s, const std::string& password, ApiStep* step, Deadline dl);
  // A plain probe sent to api-ssl is closed without a word, and a ClientHello
  // sent to plain api can meet silence: neither may pass for an address
  // restriction. These ask the port the other way round.
  bool speaks_tls(Deadline dl);
  bool speaks_plain_api(Deadline dl);
  // The port accepted, then said nothing for `waited` (see api_run.cpp).
  void silence(std::chrono::milliseconds waited);

  const ProbeContext& ctx;
  const RouterosApiSpec& spec;
  ApiObservation& obs;
  net::SockAddr dst;
  // The check's whole budget, as the deadline gave it when the run began.
  std::chrono::milliseconds budget;
  int conns = 0;

 private:
  void run_control(std::chrono::milliseconds window);
};

// A share of what is left of `dl`.
Deadline share_of(Deadline dl, int percent);
long ms_since(Clock::time_point t0);
// `!trap =message=not enough permissions (9)`: the only denial (see api_run.cpp).
bool permission_denied(const ApiChannel::Reply& r);

// The sub-tests, in the order api_observe.cpp runs them.
// Is there a RouterOS API on the first connection `s`? Fills access, contact
// and first_reply; false when nothing further can be asked.
bool detect(ApiRun& run, Session& s, Deadline window);
// Does a bare /login get the pre-6.43 =ret= challenge?
void legacy_login(ApiRun& run, Session& s);
// After a real login: read the identity, and write it back when asked.
void least_privilege(ApiRun& run, Session& s);
// What a command before login gets (RouterOS: !fatal, then a close).
void pre_login(ApiRun& run, Session& s);
// Hold max_sessions sessions, then open one more: is it refused?
void max_sessions(ApiRun& run, const std::optional<std::string>& password);

}  // namespace vantage::probes::api
