#include "cli/progress_line.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include "core/plural.hpp"
#include "reports/format.hpp"

namespace vantage::cli {

namespace {
// Back to column 0, then erase to the end of the line.
constexpr const char* kErase = "\r\033[K";
constexpr std::size_t kEraseLen = 4;

// Where a shown line is, for the signal handler (-1: none shown). A
// lock-free atomic: the one thing a handler may read.
std::atomic<int> g_shown_fd{-1};
static_assert(std::atomic<int>::is_always_lock_free);
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[std::size(kSignals)];

// Async-signal-safe only: write(), signal(), raise(). With the default
// action back, the signal raised again ends the process once this returns
// (it is blocked until then), with the status a shell expects.
extern "C" void erase_then_die(int sig) {
  const int saved = errno;
  if (const int fd = g_shown_fd.load(); fd >= 0) {
    [[maybe_unused]] const ssize_t n = ::write(fd, kErase, kEraseLen);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
  errno = saved;
}
}  // namespace

std::string progress_text(const engine::Progress& p) {
  std::string s =
      std::to_string(p.done) + "/" + std::to_string(p.total) + " checks, " +
      std::to_string(p.fail) + " failed, " + counted(static_cast<std::size_t>(p.error), "error") +
      ", " + std::to_string(p.targets_done) + "/" + std::to_string(p.targets) +
      (p.targets == 1 ? " target, " : " targets, ") + reports::human_duration(p.elapsed.count());
  return s;
}

bool progress_wanted(bool quiet, int fd) {
  // A dumb terminal (TERM=dumb: an editor's shell buffer) cannot erase a line.
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return !quiet && ::isatty(fd) == 1;
}

int terminal_columns(int fd) {
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

ProgressLine::ProgressLine(std::ostream& out, int columns, std::chrono::milliseconds min_interval)
    : out_(out), columns_(columns), min_interval_(min_interval) {}

ProgressLine::~ProgressLine() {
  clear();
  if (interrupt_fd_ < 0) return;
  for (std::size_t i = 0; i < std::size(kSignals); ++i)
    ::sigaction(kSignals[i], &g_previous[i], nullptr);
}

void ProgressLine::erase_on_interrupt(int fd) {
  std::lock_guard lock(mu_);
  if (interrupt_fd_ >= 0 || fd < 0) return;
  interrupt_fd_ = fd;
  struct sigaction sa {};
  sa.sa_handler = erase_then_die;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    ::sigaction(kSignals[i], nullptr, &g_previous[i]);
    // A signal the parent set to be ignored (nohup) stays ignored.
    if (g_previous[i].sa_handler == SIG_IGN) continue;
    ::sigaction(kSignals[i], &sa, nullptr);
  }
  if (shown_) g_shown_fd.store(fd);
}

bool ProgressLine::update(const engine::Progress& p, Clock::time_point now) {
  std::lock_guard lock(mu_);
  record_ = p;
  record_at_ = now;
  return draw(p, now);
}

bool ProgressLine::tick(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (!record_ || record_->done >= record_->total || now < record_at_) return false;
  engine::Progress p = *record_;
  p.elapsed += now - record_at_;
  return draw(p, now);
}

bool ProgressLine::draw(const engine::Progress& p, Clock::time_point now) {
  const bool last = p.done >= p.total;
  if (drawn_once_ && !last && now - last_ < min_interval_) return false;
  std::string text = "vantage: " + progress_text(p);
  // One column spare: a line that fills the last column wraps on some terminals.
  if (columns_ > 1 && text.size() >= static_cast<std::size_t>(columns_))
    text.resize(static_cast<std::size_t>(columns_ - 1));
  out_ << kErase << text << std::flush;
  shown_ = drawn_once_ = true;
  if (interrupt_fd_ >= 0) g_shown_fd.store(interrupt_fd_);
  last_ = now;
  return true;
}

ProgressTicker::ProgressTicker(ProgressLine& line, std::chrono::milliseconds period)
    : thread_([this, &line, period](std::stop_token stop) {
        std::unique_lock lock(mu_);
        // The wait ends early when a stop is requested: no tick once the
        // destructor has begun.
        for (;;) {
          cv_.wait_for(lock, stop, period, [] { return false; });
          if (stop.stop_requested()) return;
          line.tick();
        }
      }) {}

ProgressTicker::~ProgressTicker() {
  thread_.request_stop();  // wakes the wait (condition_variable_any with a stop_token)
  thread_.join();
}

void ProgressLine::clear() {
  std::lock_guard lock(mu_);
  if (!shown_) return;
  g_shown_fd.store(-1);
  out_ << kErase << std::flush;
  shown_ = false;
}

}  // namespace vantage::cli
