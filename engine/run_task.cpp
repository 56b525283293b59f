#include "engine/run_task.hpp"

#include "core/error.hpp"

namespace vantage::engine {

namespace {

// A probe that could not be run gets this observation.
struct SetupFailure final : results::Observation {
  json evidence() const override { return {{"error", error}}; }
};

std::shared_ptr<results::Observation> setup_failure(std::string why) {
  auto f = std::make_shared<SetupFailure>();
  f->error = std::move(why);
  return f;
}

}  // namespace

std::shared_ptr<results::Observation> TaskRunner::observe(const Task& t) {
  if (t.source && bad_sources_.count(t.source)) return setup_failure(bad_sources_.at(t.source));
  const auto timeout = opt_.timeout.value_or(t.check->common.timeout);
  try {
    // Before the clock: the deadline is the check's, not the resolver's.
    net::Resolution where = resolver_.get(*t.target, t.source, timeout);
    if (!where.address) throw Error(where.error);
    probes::ProbeContext ctx{
        *t.target, t.source,     t.check->common, *t.check->spec, Deadline::in(timeout),
        state_,    where.address};
    return t.check->probe->observe(ctx);
  } catch (const PermissionError& e) {
    std::lock_guard lock(report_mu_);
    report_.permission_errors.push_back(e.what());
    return setup_failure(e.what());
  } catch (const std::exception& e) {
    return setup_failure(e.what());
  }
}

void TaskRunner::run(const Task& t) {
  results::CheckResult& r = report_.scenarios[t.scenario].results[t.slot];
  r.started = std::chrono::system_clock::now();
  const auto start = Clock::now();
  if (t.check->skip_reason) {
    r.verdict = {results::Status::kSkip, "skipped: " + *t.check->skip_reason, "", "skipped"};
    return;
  }
  std::shared_ptr<results::Observation> obs = observe(t);
  r.observation = obs;
  if (dynamic_cast<SetupFailure*>(obs.get()) != nullptr) {
    r.verdict = {results::Status::kError, "could not probe: " + obs->error, "", "error"};
  } else {
    r.verdict = results::decide(*t.check->spec, *obs);
  }
  r.elapsed = Clock::now() - start;
}

}  // namespace vantage::engine
