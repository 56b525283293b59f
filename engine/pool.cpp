#include "engine/pool.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace vantage::engine {

namespace {

int fds_of(const Task& t) {
  return t.check->spec ? std::max(1, t.check->spec->fds()) : 1;
}

// What a session-holding task counts against its target's cap: its
// connections, at most the whole cap.
int sessions_of(const Task& t) {
  const int c = t.check->spec ? std::max(1, t.check->spec->connections()) : 1;
  return std::min(c, std::max(1, t.cap));
}

class Scheduler {
 public:
  Scheduler(std::vector<Task> tasks, long fd_budget)
      : queue_(tasks.begin(), tasks.end()), fd_budget_(fd_budget) {}

  // The first task whose target has room for its connections under its
  // session cap (sessions_of) and whose file descriptors fit what the
  // running ones leave (one that alone exceeds the budget runs when nothing
  // else does: queueing beats failing).
  std::optional<Task> take() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) return std::nullopt;
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        const bool fits = fds_used_ == 0 || fds_used_ + fds_of(*it) <= fd_budget_;
        if (fits && (!it->check->probe->holds_session() ||
                     inflight_[it->target_key] + sessions_of(*it) <= it->cap)) {
          Task t = *it;
          queue_.erase(it);
          if (t.check->probe->holds_session()) inflight_[t.target_key] += sessions_of(t);
          fds_used_ += fds_of(t);
          return t;
        }
      }
      cv_.wait(lock);
    }
  }

  void done(const Task& t) {
    {
      std::lock_guard lock(mu_);
      if (t.check->probe->holds_session()) inflight_[t.target_key] -= sessions_of(t);
      fds_used_ -= fds_of(t);
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::map<std::string, int> inflight_;
  const long fd_budget_;
  long fds_used_ = 0;
};

// What RLIMIT_NOFILE leaves for checks after the reserve (capture, reports,
// the runtime), once raised.
long fd_budget() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 192;
  return std::max<long>(static_cast<long>(rl.rlim_cur) - 64, 3);
}

}  // namespace

int raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 64;
  // Raise the soft limit to the hard one: queueing beats failing, but more
  // room beats queueing.
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = std::min<rlim_t>(rl.rlim_max, 65536);
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  // Most checks hold at most three fds (CheckSpec::fds); keep 64 in reserve
  // for the capture, reports and the runtime. Checks that hold more are
  // fitted by the scheduler's fd budget.
  long budget = (static_cast<long>(rl.rlim_cur) - 64) / 3;
  return static_cast<int>(std::clamp<long>(budget, 1, 4096));
}

void run_pool(std::vector<Task> tasks, int jobs, const std::function<void(const Task&)>& run) {
  if (tasks.empty()) return;
  const std::size_t count = tasks.size();
  const int asked = jobs > 0 ? jobs : std::numeric_limits<int>::max();
  const int workers =
      std::max(1, std::min({asked, raise_fd_limit(), 1024, static_cast<int>(count)}));
  Scheduler sched(std::move(tasks), fd_budget());
  std::vector<std::thread> pool;
  for (int i = 0; i < workers; ++i) {
    pool.emplace_back([&] {
      while (auto t = sched.take()) {
        run(*t);
        sched.done(*t);
      }
    });
  }
  for (auto& th : pool) th.join();
}

}  // namespace vantage::engine
