#include "engine/engine.hpp"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "net/resolve.hpp"

namespace vantage::engine {

namespace {

struct Task {
  std::size_t scenario = 0;
  std::size_t slot = 0;  // index into that scenario's results
  const scenarios::Check* check = nullptr;
  const results::Target* target = nullptr;
  const net::SourceSpec* source = nullptr;
  int cap = 4;  // per-target cap of the task's scenario
  std::string target_key;
};

// A probe whose source failed validation gets this observation.
struct SetupFailure final : results::Observation {
  json evidence() const override { return {{"error", error}}; }
};

// Hands tasks to workers: the first queued task whose target is under its
// session cap. Workers never block on a full target while other work waits.
class Scheduler {
 public:
  explicit Scheduler(std::vector<Task> tasks) : queue_(tasks.begin(), tasks.end()) {}

  std::optional<Task> take() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) return std::nullopt;
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (!it->check->probe->holds_session() || inflight_[it->target_key] < it->cap) {
          Task t = *it;
          queue_.erase(it);
          if (t.check->probe->holds_session()) ++inflight_[t.target_key];
          return t;
        }
      }
      cv_.wait(lock);
    }
  }

  void done(const Task& t) {
    {
      std::lock_guard lock(mu_);
      if (t.check->probe->holds_session()) --inflight_[t.target_key];
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::map<std::string, int> inflight_;
};

// Resolves each target once per (name, source namespace, family), before any
// check's deadline starts: a slow resolver must not eat the time a SYN needs.
// The first check to ask bounds the lookup by min(5 s, its timeout); the
// others for the same key wait for that result.
class Resolver {
 public:
  net::Resolution get(const results::Target& target, const net::SourceSpec* src,
                      std::chrono::milliseconds timeout) {
    int family = AF_UNSPEC;
    if (src && src->address) {
      if (auto a = net::SockAddr::parse(*src->address)) family = a->family();
    }
    const std::optional<std::string> netns = src ? src->netns : std::nullopt;
    std::shared_ptr<Entry> e;
    {
      std::lock_guard lock(mu_);
      auto& slot = cache_[{target.host, netns.value_or(""), family}];
      if (!slot) slot = std::make_shared<Entry>();
      e = slot;
    }
    std::call_once(e->once, [&] {
      e->result =
          net::resolve(target.host, netns, family,
                       std::min<std::chrono::milliseconds>(std::chrono::seconds(5), timeout));
    });
    return e->result;
  }

 private:
  struct Entry {
    std::once_flag once;
    net::Resolution result;
  };
  std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::shared_ptr<Entry>> cache_;
};

bool selected(const EngineOptions& opt, const std::string& id) {
  return opt.only.empty() || std::find(opt.only.begin(), opt.only.end(), id) != opt.only.end();
}

}  // namespace

int fd_budget() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 64;
  // Raise the soft limit to the hard one: queueing beats failing, but more
  // room beats queueing.
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = std::min<rlim_t>(rl.rlim_max, 65536);
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  // A probe holds at most a socket and a namespace fd; keep 64 in reserve
  // for the capture, reports and the runtime.
  long budget = (static_cast<long>(rl.rlim_cur) - 64) / 3;
  return static_cast<int>(std::clamp<long>(budget, 1, 4096));
}

results::RunReport run(const std::vector<scenarios::Scenario>& plan, const EngineOptions& opt) {
  results::RunReport report;
  report.started = std::chrono::system_clock::now();
  const auto t0 = Clock::now();
  probes::RunState state;

  // Validate every source used before any traffic.
  std::map<const net::SourceSpec*, std::string> bad_source;
  for (const auto& sc : plan) {
    for (const auto& src : sc.sources) {
      if (auto problem = net::validate_source(src)) bad_source[&src] = "source " + src.describe() + ": " + *problem;
    }
  }

  std::vector<Task> active, after;
  report.scenarios.resize(plan.size());
  for (std::size_t si = 0; si < plan.size(); ++si) {
    const auto& sc = plan[si];
    auto& out = report.scenarios[si];
    out.file = sc.file;
    out.name = sc.name;
    for (const auto& target : sc.targets) {
      out.targets.push_back(target.name);
      for (const auto& check : sc.checks) {
        if (!selected(opt, check.common.id)) continue;
        std::vector<const net::SourceSpec*> sources;
        if (check.probe->uses_sources()) {
          for (const auto& name : check.common.from) sources.push_back(sc.source(name));
        } else {
          sources.push_back(nullptr);
        }
        for (const auto* src : sources) {
          results::CheckResult r;
          r.check = &check.common;
          r.spec = check.spec;
          r.target = target.name;
          r.target_host = target.host;
          if (src) {
            r.source = src->name;
            r.source_desc = src->describe();
          }
          Task t{si, out.results.size(), &check, &target, src, opt.per_target.value_or(sc.max_per_target),
                 target.host};
          out.results.push_back(std::move(r));
          (check.probe->phase() == probes::Phase::kAfterAll ? after : active).push_back(t);
        }
      }
    }
  }

  std::mutex report_mu;
  Resolver resolver;
  auto run_task = [&](const Task& t) {
    results::CheckResult& r = report.scenarios[t.scenario].results[t.slot];
    r.started = std::chrono::system_clock::now();
    const auto start = Clock::now();
    std::shared_ptr<results::Observation> obs;
    if (t.check->skip_reason) {
      r.verdict = {results::Status::kSkip, "skipped: " + *t.check->skip_reason, "", "skipped"};
      return;
    }
    if (t.source && bad_source.count(t.source)) {
      auto f = std::make_shared<SetupFailure>();
      f->error = bad_source.at(t.source);
      obs = f;
    } else {
      const auto timeout = opt.timeout.value_or(t.check->common.timeout);
      try {
        // Before the clock: the deadline is the check's, not the resolver's.
        net::Resolution where = resolver.get(*t.target, t.source, timeout);
        if (!where.address) throw Error(where.error);
        probes::ProbeContext ctx{
            *t.target, t.source,     t.check->common, *t.check->spec, Deadline::in(timeout),
            state,     where.address};
        obs = t.check->probe->observe(ctx);
      } catch (const PermissionError& e) {
        auto f = std::make_shared<SetupFailure>();
        f->error = e.what();
        obs = f;
        std::lock_guard lock(report_mu);
        report.permission_errors.push_back(e.what());
      } catch (const std::exception& e) {
        auto f = std::make_shared<SetupFailure>();
        f->error = e.what();
        obs = f;
      }
    }
    r.observation = obs;
    if (dynamic_cast<SetupFailure*>(obs.get()) != nullptr) {
      r.verdict = {results::Status::kError, "could not probe: " + obs->error, "", "error"};
    } else {
      r.verdict = results::decide(*t.check->spec, *obs);
    }
    r.elapsed = Clock::now() - start;
  };

  auto run_pool = [&](std::vector<Task> tasks) {
    if (tasks.empty()) return;
    const std::size_t count = tasks.size();
    Scheduler sched(std::move(tasks));
    const int workers = std::max(
        1, std::min({opt.jobs, fd_budget(), 1024, static_cast<int>(count)}));
    std::vector<std::thread> pool;
    for (int i = 0; i < workers; ++i) {
      pool.emplace_back([&] {
        while (auto t = sched.take()) {
          run_task(*t);
          sched.done(*t);
        }
      });
    }
    for (auto& th : pool) th.join();
  };

  for (auto* o : opt.observers) {
    try {
      o->start(plan);
    } catch (const PermissionError& e) {
      // Every other check still runs; checks that needed the observer error.
      report.permission_errors.push_back(e.what());
    }
  }
  run_pool(std::move(active));
  for (auto* o : opt.observers) o->stop(state, report);
  run_pool(std::move(after));

  report.elapsed = Clock::now() - t0;
  return report;
}

}  // namespace vantage::engine
