// Pre-login: a command before login must get !fatal (and a close).
#include <fmt/format.h>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

void pre_login(ApiRun& run, Session& s) {
  auto r = run.call(s, Sentence{"/system/identity/print"}, run.ctx.deadline);
  if (r.first() == "!fatal") {
    run.obs.pre_login_fatal = true;
    run.obs.pre_login_seen = r.first_text();
    // The router closes after !fatal: record whether it did, waiting long
    // enough for a lost FIN's retransmits on this link (a router that closes
    // costs no wait), but leaving max-sessions, which comes next, its half.
    const auto window = net::answer_window(s.conn.stream->fd(), std::chrono::milliseconds(500));
    Deadline dl = Deadline::in(window).earlier(run.ctx.deadline);
    if (run.spec.max_sessions) dl = dl.earlier(Deadline(run.ctx.deadline.at() - run.budget / 2));
    const auto t0 = Clock::now();
    auto after = s.ch->read_reply(dl);
    if (after.sentences.empty() && (after.end == End::kEof || after.end == End::kReset))
      run.obs.pre_login_seen += ", then the connection closed";
    else if (after.sentences.empty() && after.end == End::kTimeout)
      run.obs.pre_login_seen +=
          fmt::format(", and the connection was still open {} ms later", ms_since(t0));
    else if (!after.sentences.empty())
      run.obs.pre_login_seen +=
          ", and the connection stayed open: it then sent " + after.first_text();
    else
      run.obs.pre_login_seen += ", then " + after.detail;
  } else if (!r.sentences.empty()) {
    run.obs.pre_login_fatal = false;
    run.obs.pre_login_seen = r.first_text();
  } else if (r.end == End::kEof || r.end == End::kReset) {
    run.obs.pre_login_fatal = false;
    run.obs.pre_login_seen = "the connection ended without a reply (" + r.detail + ")";
  } else {
    run.obs.pre_login_seen = "no answer: " + r.detail;
  }
  s.open = false;
}

}  // namespace vantage::probes::api
