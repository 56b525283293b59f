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
  // A probe holds at most a socket and a namespace fd; keep 64 in reserve
  // for the capture, reports and the runtime.
  long budget = (static_cast<long>(rl.rlim_cur) - 64) / 3;
  return static_cast<int>(std::clamp<long>(budget, 1, 4096));
}

void run_pool(std::vector<Task> tasks, int jobs, const std::function<void(const Task&)>& run) {
  if (tasks.empty()) return;
  const std::size_t count = tasks.size();
  Scheduler sched(std::move(tasks));
  const int asked = jobs > 0 ? jobs : std::numeric_limits<int>::max();
  const int workers =
      std::max(1, std::min({asked, raise_fd_limit(), 1024, static_cast<int>(count)}));
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
