// Legacy login: the pre-6.43 challenge login (a bare /login answered with =ret=).
#include <fmt/format.h>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

void legacy_login(ApiRun& run, Session& s) {
  if (run.obs.legacy_login || !s.open || s.logged_in) return;
  auto r = run.call(s, Sentence{"/login"}, run.ctx.deadline);
  if (r.first() == "!done" && r.sentences.front().attr("ret")) {
    run.obs.legacy_login = true;
    run.obs.legacy_detail =
        "bare /login answered with !done =ret=" + *r.sentences.front().attr("ret");
  } else if (!r.sentences.empty()) {
    run.obs.legacy_login = false;
    run.obs.legacy_detail = r.first_text();
  } else {
    run.obs.legacy_detail = "no answer to a bare /login: " + r.detail;
  }
}

}  // namespace vantage::probes::api
