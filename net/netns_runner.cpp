// run_in_netns(): one long-lived thread per network namespace. setns() moves
// only the calling thread, and a socket keeps the namespace it was created in
// for life, so a thread that joined the namespace once can create every
// socket a fleet run needs there: no thread and no setns() per socket (the
// first version spent ~9 s of system time per 1000 routers on both).
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "net/source.hpp"

namespace vantage::net {

namespace {

// A namespace's identity is its nsfs inode, not its name: a name can be
// deleted and made again for a different namespace, and a cached thread
// must never serve the new one from the old.
using NsKey = std::pair<dev_t, ino_t>;

class Worker {
 public:
  // Starts the thread and waits until it joined the namespace; throws what
  // setns() said (PermissionError with the capability to grant) otherwise.
  Worker(const UniqueFd& ns, const std::string& label, NsKey key) : key_(key) {
    std::exception_ptr failure;
    bool ready = false;
    thread_ = std::thread([&, fd = ns.get()] {
      std::exception_ptr f = join_namespace(fd, label);
      {
        std::lock_guard lock(mu_);
        failure = f;
        ready = true;
      }
      cv_.notify_all();
      if (!f) serve();
    });
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return ready; });
    if (failure) {
      lock.unlock();
      thread_.join();
      std::rethrow_exception(failure);
    }
  }

  ~Worker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs fn on the namespace's thread and waits for it; its exception propagates.
  void run(const std::function<void()>& fn) {
    if (current() == this) {  // fn itself asked for this namespace
      fn();
      return;
    }
    Job job{&fn, nullptr, false};
    {
      std::lock_guard lock(mu_);
      queue_.push_back(&job);
    }
    cv_.notify_all();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return job.done; });
    if (job.failure) std::rethrow_exception(job.failure);
  }

  NsKey key() const { return key_; }

 private:
  struct Job {
    const std::function<void()>* fn;
    std::exception_ptr failure;
    bool done = false;
  };

  static const Worker*& current() {
    thread_local const Worker* w = nullptr;
    return w;
  }

  static std::exception_ptr join_namespace(int fd, const std::string& label) {
    if (::setns(fd, CLONE_NEWNET) == 0) return nullptr;
    const int err = errno;
    try {
      if (err == EPERM) {
        throw PermissionError("entering network namespace " + label +
                              " needs CAP_SYS_ADMIN: run vantage as root, or with "
                              "`sudo setcap cap_sys_admin,cap_net_raw+eip $(command -v vantage)`");
      }
      throw SystemError("setns(" + label + ")", err);
    } catch (...) {
      return std::current_exception();
    }
  }

  void serve() {
    current() = this;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      Job* job = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        (*job->fn)();
      } catch (...) {
        job->failure = std::current_exception();
      }
      lock.lock();
      job->done = true;
      cv_.notify_all();
    }
  }

  NsKey key_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// The namespaces' threads, least recently used first. Bounded: a stale
// thread keeps a deleted namespace alive, so a long run that walks many
// namespaces holds at most kMaxWorkers of them.
class Registry {
 public:
  static constexpr std::size_t kMaxWorkers = 16;

  std::shared_ptr<Worker> worker(const std::string& netns) {
    const std::string path = netns.find('/') == std::string::npos ? "/run/netns/" + netns : netns;
    UniqueFd ns = open_netns(netns);
    struct stat st {};
    if (::fstat(ns.get(), &st) != 0) throw SystemError("fstat(" + path + ")", errno);
    const NsKey key{st.st_dev, st.st_ino};

    std::shared_ptr<Worker> evicted;  // joined outside the lock
    std::lock_guard lock(mu_);
    for (auto it = lru_.begin(); it != lru_.end(); ++it) {
      if ((*it)->key() != key) continue;
      auto w = *it;
      lru_.erase(it);
      lru_.push_back(w);
      return w;
    }
    auto w = std::make_shared<Worker>(ns, netns, key);
    if (lru_.size() >= kMaxWorkers) {
      evicted = std::move(lru_.front());
      lru_.erase(lru_.begin());
    }
    lru_.push_back(w);
    return w;
  }

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<Worker>> lru_;
};

// Never destroyed: its threads may hold per-thread state of libraries whose
// own exit handlers run before static destructors (OpenSSL's error queue
// when a namespace's thread did OpenSSL's first call). Joining them after
// that would strand the state; left running, the exit takes them down.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

}  // namespace

void run_in_netns(const std::optional<std::string>& netns, const std::function<void()>& fn) {
  if (!netns) {
    fn();
    return;
  }
  registry().worker(*netns)->run(fn);
}

}  // namespace vantage::net
