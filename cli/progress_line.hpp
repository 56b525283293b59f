#pragma once
// The progress line of `vantage run` on a terminal: one line on stderr,
// rewritten in place from the engine's progress records (engine/progress.hpp)
// and erased before the console report prints. Only on a terminal and not
// with --quiet: CI logs and pipes never see it.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "engine/progress.hpp"

namespace vantage::cli {

// "12/40 checks, 2 failed, 1 error, 3/10 targets, 4.20 s": what the line says.
std::string progress_text(const engine::Progress& p);

// Whether to show the line: `fd` is a terminal (not TERM=dumb) and the run
// is not --quiet.
bool progress_wanted(bool quiet, int fd);

// The terminal's width in columns, 0 when unknown.
int terminal_columns(int fd);

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  // `columns` > 0: the text is cut to fit, so it never wraps (a wrapped
  // line cannot be rewritten with \r).
  explicit ProgressLine(std::ostream& out, int columns = 0,
                        std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));
  ~ProgressLine();  // erases the line: an exception must not leave it under the error
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws with `p`, unless the last redraw was less than min_interval ago
  // (at most 10 a second by default); the first record and the last check
  // (done == total) always draw. Returns whether it drew.
  bool update(const engine::Progress& p, Clock::time_point now = Clock::now());
  // Redraws the last record with its elapsed time moved on to `now`: a
  // check that takes a minute must not freeze the clock. Nothing before the
  // first record or after the last check; throttled as update().
  bool tick(Clock::time_point now = Clock::now());
  // Erases the line if one is shown.
  void clear();
  // While this line lives, SIGINT, SIGTERM and SIGHUP first erase it (written
  // to `fd`, the descriptor under `out`, when it is shown), then end the
  // process as they would have: Ctrl-C does not leave it on the screen. One
  // line at a time; the previous handlers come back when it is destroyed.
  void erase_on_interrupt(int fd);

 private:
  bool draw(const engine::Progress& p, Clock::time_point now);  // mu_ held

  std::mutex mu_;
  std::ostream& out_;
  int columns_;
  std::chrono::milliseconds min_interval_;
  bool shown_ = false, drawn_once_ = false;
  Clock::time_point last_{};
  std::optional<engine::Progress> record_;  // the last one, and when it came
  Clock::time_point record_at_{};
  int interrupt_fd_ = -1;  // >= 0: erase_on_interrupt() installed the handlers
};

// Calls line.tick() every `period` on its own thread until destroyed (which
// stops and joins it): destroy it before the line is erased.
class ProgressTicker {
 public:
  explicit ProgressTicker(ProgressLine& line,
                          std::chrono::milliseconds period = std::chrono::milliseconds(1000));
  ~ProgressTicker();
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: started once the rest is built
};

}  // namespace vantage::cli
