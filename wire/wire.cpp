#include "wire/wire.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <optional>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "wire/rules.hpp"

namespace vantage::wire {

namespace {

// SIGINT/SIGTERM blocked for the loop's lifetime and read from a signalfd.
class Signals {
 public:
  Signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd_) throw SystemError("wire: signalfd", errno);
  }
  ~Signals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;
  int fd() const { return fd_.get(); }
  int take() const {
    signalfd_siginfo si{};
    return ::read(fd_.get(), &si, sizeof(si)) == sizeof(si) ? static_cast<int>(si.ssi_signo) : 0;
  }

 private:
  sigset_t set_{}, old_{};
  UniqueFd fd_;
};

struct Queue {
  std::uint16_t num;
  std::string name;
  Lane lane;
};

timespec to_timespec(Clock::duration d) {
  const auto ns = std::max<std::int64_t>(0, std::chrono::duration_cast<Nanos>(d).count());
  return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

}  // namespace

WireReport run(const WireConfig& cfg, const std::function<void()>& ready) {
  Signals signals;
  QueueNumbers nums;
  std::vector<Queue> queues;
  // Different seeds per lane: the same loss pattern in both directions would
  // drop a request and its answer together.
  queues.push_back({nums.ingress, "ingress", Lane(cfg.ingress, cfg.queue_limit, cfg.seed)});
  queues.push_back({nums.egress, "egress", Lane(cfg.egress, cfg.queue_limit, cfg.seed + 1)});
  if (cfg.loopback) {
    nums.loopback = 7102;
    queues.push_back({*nums.loopback, "loopback", Lane(cfg.egress, cfg.queue_limit, cfg.seed + 2)});
  }
  auto lane_of = [&](std::uint16_t num) -> Queue* {
    for (auto& q : queues)
      if (q.num == num) return &q;
    return nullptr;
  };

  NfQueue nfq;
  for (const auto& q : queues) nfq.bind(q.num, static_cast<std::uint32_t>(cfg.queue_limit));
  Rules rules(nums);
  ready();

  const auto end = cfg.duration ? std::optional(Clock::now() + *cfg.duration) : std::nullopt;
  auto take_packets = [&](Clock::time_point now) {
    nfq.receive([&](std::uint16_t num, std::uint32_t id) {
      Queue* q = lane_of(num);
      if (!q || q->lane.arrive(id, now) != Lane::Fate::kHeld) nfq.verdict(num, id, false);
    });
  };
  WireReport report;
  for (;;) {
    std::optional<Clock::time_point> wake = end;
    for (const auto& q : queues)
      if (auto t = q.lane.next_release(); t && (!wake || *t < *wake)) wake = t;
    timespec ts{};
    if (wake) ts = to_timespec(*wake - Clock::now());
    pollfd fds[2] = {{nfq.fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
    if (::ppoll(fds, 2, wake ? &ts : nullptr, nullptr) < 0 && errno != EINTR)
      throw SystemError("wire: ppoll", errno);
    if (fds[1].revents & POLLIN) {
      report.signal = signals.take();
      if (report.signal) break;
    }
    const auto now = Clock::now();
    if (fds[0].revents & POLLIN) take_packets(now);
    for (auto& q : queues)
      for (auto id : q.lane.due(now)) nfq.verdict(q.num, id, true);
    nfq.flush();
    if (end && now >= *end) break;
  }

  // Kernel counters vanish with the queue: read them first. Then no new
  // packets (rules out), then let the held ones go early rather than drop them.
  for (const auto& q : queues)
    report.lanes.push_back({q.name,
                            q.lane.impairment(),
                            {},
                            NfQueue::kernel_stats(q.num).value_or(KernelQueueStats{})});
  std::optional<Error> rules_error;
  try {
    rules.remove();
  } catch (const Error& e) {
    rules_error = e;
  }
  take_packets(Clock::now());
  for (auto& q : queues)
    for (auto id : q.lane.drain()) nfq.verdict(q.num, id, true);
  nfq.flush();
  for (std::size_t i = 0; i < queues.size(); ++i) report.lanes[i].stats = queues[i].lane.stats();
  report.overruns = nfq.overruns();
  if (rules_error) throw *rules_error;
  return report;
}

}  // namespace vantage::wire
