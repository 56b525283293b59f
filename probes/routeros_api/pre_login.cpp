// Pre-login: a command before login must get !fatal (and a close).
#include <fmt/format.h>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

void pre_login(ApiRun& run, Session& s) {
  auto r = run.call(s, Sentence{"/system/identity/print"}, run.ctx.deadline);
  if (r.first() == "!fatal") {
    run.obs.pre_login_fatal = true;
    run.obs.pre_login_seen = r.first_text();
    // The router closes after !fatal: record whether it did.
    auto after =
        s.ch->read_reply(Deadline::in(std::chrono::milliseconds(500)).earlier(run.ctx.deadline));
    run.obs.pre_login_seen +=
        after.sentences.empty() && (after.end == End::kEof || after.end == End::kReset)
            ? ", then the connection closed"
            : ", and the connection stayed open";
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
