// max-sessions: hold the limit's worth of sessions, then open one more and
// see whether the service refuses it.
#include <fmt/format.h>

#include <thread>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

void max_sessions(ApiRun& run, const std::optional<std::string>& password) {
  ApiObservation::Sessions out;
  out.limit = *run.spec.max_sessions;
  const bool real_login = password.has_value();
  // The extra session needs a real answer, so part of the budget is kept for
  // it: the held sessions must be open by `hold_dl`, or nothing is claimed.
  const auto reserve =
      std::max<std::chrono::milliseconds>(std::chrono::milliseconds(300), run.budget / 5);
  const Deadline hold_dl(run.ctx.deadline.at() - reserve);
  // A holder counts when the service served it: logged in, or answered detection.
  auto hold = [&](Session& s) {
    if (!s.open) return false;
    if (real_login) return run.login(s, *password, nullptr, hold_dl);
    auto r = run.call(s, run.detection(), hold_dl);
    return !r.sentences.empty() && r.end == End::kDone;
  };
  std::vector<Session> held;
  for (int i = 0; i < out.limit && !hold_dl.expired(); ++i) {
    Session s = run.connect(hold_dl, false);
    bool ok = hold(s);
    if (!ok && !hold_dl.expired()) {
      // The router may not have reaped the probe's earlier connections yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      s = run.connect(hold_dl, false);
      ok = hold(s);
    }
    if (!ok) {
      out.note = fmt::format(
          "session {} of {} was not served ({}{}): the router allows fewer sessions than "
          "max_sessions, other sessions are open, or it is too slow for the {} ms budget",
          i + 1, out.limit, to_string(s.conn.contact), hold_dl.expired() ? ", out of time" : "",
          run.budget.count());
      run.obs.sessions = out;
      return;
    }
    held.push_back(std::move(s));
  }
  out.held = static_cast<int>(held.size());
  if (out.held < out.limit) {
    out.note = fmt::format(
        "only {} of {} sessions were open when the time kept for the extra session ({} ms) "
        "began: raise timeout_ms",
        out.held, out.limit, reserve.count());
    run.obs.sessions = out;
    return;
  }
  const Deadline extra_dl = Deadline::in(std::chrono::milliseconds(2000)).earlier(run.ctx.deadline);
  const auto t0 = Clock::now();
  Session x = run.connect(extra_dl, false, true);
  auto unknown = [&](const std::string& seen) {
    out.extra_seen = seen;
    out.note = fmt::format(
        "the extra session got no answer that refuses it ({}) in {} ms: silence, a filtered "
        "connect or a failed handshake is not a refusal",
        seen, ms_since(t0));
  };
  switch (x.conn.contact) {
    case Contact::kOpen: break;
    case Contact::kTcpClosed:
    case Contact::kResetAfterAccept:
    case Contact::kCloseAfterAccept:
      // RST to the SYN, or accept-then-reset/close: the service's answer.
      out.extra_seen = std::string(to_string(x.conn.contact)) + " (" + x.conn.detail + ")";
      out.enforced = true;
      break;
    default: unknown(std::string(to_string(x.conn.contact)) + " (" + x.conn.detail + ")"); break;
  }
  if (x.conn.contact == Contact::kOpen) {
    auto r = run.call(x, run.detection(), extra_dl);
    if (r.first() == "!fatal") {
      out.extra_seen = "refused: " + r.first_text();
      out.enforced = true;
    } else if (!r.sentences.empty()) {
      out.extra_seen = "served: " + r.first_text();
      out.enforced = false;
    } else if ((r.end == End::kEof || r.end == End::kReset) && x.ch->bytes_received() == 0) {
      out.extra_seen =
          std::string(r.end == End::kEof ? "closed-after-accept" : "reset-after-accept") + " (" +
          r.detail + ")";
      out.enforced = true;
    } else {
      unknown(r.end == End::kTimeout ? "silent-after-accept (" + r.detail + ")" : r.detail);
    }
  }
  run.obs.sessions = out;
}

}  // namespace vantage::probes::api
