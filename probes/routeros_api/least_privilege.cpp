// Least privilege: after a real login, read yes, write no. The write sets the
// identity to the value just read, so the router never changes.
#include <fmt/format.h>

#include "probes/routeros_api/api_run.hpp"

namespace vantage::probes::api {

void least_privilege(ApiRun& run, Session& s) {
  auto r = run.call(s, Sentence{"/system/identity/print"}, run.ctx.deadline);
  if (r.first() == "!re" && r.end == End::kDone) {
    if (auto name = r.sentences.front().attr("name")) {
      run.obs.read.outcome = StepOutcome::kOk;
      run.obs.identity = *name;
    } else {
      run.obs.read.outcome = StepOutcome::kError;
      run.obs.read.message = "/system/identity/print returned no name";
    }
  } else if (permission_denied(r)) {
    run.obs.read.outcome = StepOutcome::kDenied;
    run.obs.read.message = r.message();
  } else if (r.trapped()) {
    run.obs.read.outcome = StepOutcome::kError;
    run.obs.read.message =
        "/system/identity/print was refused, but not for permissions: `" + r.first_text() + "`";
  } else {
    run.obs.read.outcome = StepOutcome::kError;
    run.obs.read.message =
        "/system/identity/print: " + (r.sentences.empty() ? r.detail : r.first_text());
  }
  if (!run.spec.write) return;
  if (run.obs.read.outcome != StepOutcome::kOk || !s.open) {
    run.obs.write.outcome = StepOutcome::kError;
    run.obs.write.message =
        "not attempted: the write test only ever writes back the identity it has just read, and "
        "the read failed";
    return;
  }
  run.obs.write.attempted = "/system/identity/set =name=" + run.obs.identity +
                            " (the value just read, so the router does not change)";
  auto w =
      run.call(s, Sentence{"/system/identity/set", "=name=" + run.obs.identity}, run.ctx.deadline);
  if (permission_denied(w)) {
    run.obs.write.outcome = StepOutcome::kDenied;
    run.obs.write.message = w.message();
  } else if (w.trapped()) {
    run.obs.write.outcome = StepOutcome::kError;
    run.obs.write.message =
        "the write was refused, but not for permissions: `" + w.first_text() + "`";
  } else if (w.first() == "!done") {
    run.obs.write.outcome = StepOutcome::kOk;
  } else {
    run.obs.write.outcome = StepOutcome::kError;
    run.obs.write.message = "no answer to the write: " + w.detail;
  }
}

}  // namespace vantage::probes::api
