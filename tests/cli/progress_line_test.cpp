// The progress line's text and its redraws, from progress records and
// chosen times (the line writes to a stream); a pseudo-terminal for when it
// is wanted.
#include "cli/progress_line.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <thread>

namespace vantage::cli {
namespace {

using namespace std::chrono_literals;

engine::Progress at(int done, int fail = 0, int error = 0, int targets_done = 0) {
  engine::Progress p;
  p.done = done;
  p.total = 40;
  p.fail = fail;
  p.error = error;
  p.targets_done = targets_done;
  p.targets = 10;
  p.elapsed = std::chrono::duration<double>(4.2);
  return p;
}

TEST(ProgressLine, SaysChecksFailuresErrorsTargetsAndTime) {
  EXPECT_EQ(progress_text(at(12, 2, 1, 3)),
            "12/40 checks, 2 failed, 1 error, 3/10 targets, 4.20 s");
  auto one = at(0);
  one.targets = 1;
  one.total = 1;
  one.error = 2;
  EXPECT_EQ(progress_text(one), "0/1 checks, 0 failed, 2 errors, 0/1 target, 4.20 s");
}

TEST(ProgressLine, RewritesOneLineInPlaceAndErasesIt) {
  std::ostringstream out;
  {
    ProgressLine line(out);
    const auto t0 = ProgressLine::Clock::now();
    EXPECT_TRUE(line.update(at(1), t0));
    EXPECT_TRUE(line.update(at(2, 1), t0 + 150ms));
    EXPECT_EQ(out.str(),
              "\r\033[Kvantage: 1/40 checks, 0 failed, 0 errors, 0/10 targets, 4.20 s"
              "\r\033[Kvantage: 2/40 checks, 1 failed, 0 errors, 0/10 targets, 4.20 s");
    line.clear();
    EXPECT_EQ(out.str().substr(out.str().size() - 4), "\r\033[K");
    const auto cleared = out.str().size();
    line.clear();  // nothing shown: nothing written
    EXPECT_EQ(out.str().size(), cleared);
    EXPECT_EQ(out.str().find('\n'), std::string::npos);  // never a new line
  }
  // The destructor erases a line still shown.
  std::ostringstream out2;
  {
    ProgressLine line(out2);
    line.update(at(1));
  }
  EXPECT_EQ(out2.str().substr(out2.str().size() - 4), "\r\033[K");
}

// At most one redraw per interval (10 a second by default); the first record
// and the last check always draw, so the line never stops short of the total.
TEST(ProgressLine, ThrottlesRedraws) {
  std::ostringstream out;
  ProgressLine line(out);
  const auto t0 = ProgressLine::Clock::now();
  int drawn = 0;
  // 39 records within one second: 10 draws at most, 1 every 100 ms.
  for (int i = 1; i < 40; ++i) drawn += line.update(at(i), t0 + i * 25ms);
  EXPECT_GE(drawn, 9);
  EXPECT_LE(drawn, 10);
  EXPECT_FALSE(line.update(at(39), t0 + 39 * 25ms + 1ms));
  EXPECT_TRUE(line.update(at(40), t0 + 39 * 25ms + 2ms));  // done == total
  EXPECT_NE(out.str().rfind("40/40 checks"), std::string::npos);
  // A custom interval.
  std::ostringstream out2;
  ProgressLine slow(out2, 0, 1s);
  EXPECT_TRUE(slow.update(at(1), t0));
  EXPECT_FALSE(slow.update(at(2), t0 + 999ms));
  EXPECT_TRUE(slow.update(at(3), t0 + 1s));
}

// A tick redraws the last record with its clock moved on; nothing before
// the first record or after the last check.
TEST(ProgressLine, TicksKeepTheClockMoving) {
  std::ostringstream out;
  ProgressLine line(out);
  const auto t0 = ProgressLine::Clock::now();
  EXPECT_FALSE(line.tick(t0));  // no record yet
  EXPECT_EQ(out.str(), "");
  line.update(at(3, 1), t0);
  EXPECT_FALSE(line.tick(t0 + 50ms));  // throttled as update()
  EXPECT_TRUE(line.tick(t0 + 1500ms));
  EXPECT_EQ(out.str().substr(out.str().rfind('\r')),
            "\r\033[Kvantage: 3/40 checks, 1 failed, 0 errors, 0/10 targets, 5.70 s");
  line.update(at(40), t0 + 2s);
  const auto size = out.str().size();
  EXPECT_FALSE(line.tick(t0 + 5s));  // the run is done: the totals stay
  EXPECT_EQ(out.str().size(), size);
}

// The ticker's thread ticks every period until it is destroyed, and not after.
TEST(ProgressLine, TickerTicksUntilDestroyed) {
  std::ostringstream out;
  ProgressLine line(out, 0, 1ms);
  line.update(at(1));
  {
    ProgressTicker ticker(line, 5ms);
    std::this_thread::sleep_for(200ms);
  }  // joined here: `out` is ours again
  const std::string text = out.str();
  std::size_t draws = 0;
  for (auto p = text.find("vantage:"); p != std::string::npos; p = text.find("vantage:", p + 1))
    ++draws;
  EXPECT_GE(draws, 3u) << text;  // the update's draw and at least two ticks
  EXPECT_LE(draws, 1u + 200 / 5 + 5) << text;
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(out.str(), text);  // stopped
}

TEST(ProgressLine, CutToTheTerminalWidth) {
  std::ostringstream out;
  ProgressLine line(out, 20);
  line.update(at(1));
  EXPECT_EQ(out.str(), "\r\033[Kvantage: 1/40 check");  // 19 columns: one spare
}

TEST(ProgressLine, OnlyOnATerminalAndNotQuiet) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::setenv("TERM", "xterm", 1);
  EXPECT_FALSE(progress_wanted(false, fds[1]));  // a pipe (a CI log) never
  EXPECT_FALSE(progress_wanted(true, fds[1]));
  EXPECT_EQ(terminal_columns(fds[1]), 0);
  ::close(fds[0]);
  ::close(fds[1]);
  // A pseudo-terminal, 77 columns wide: yes, unless --quiet or TERM=dumb.
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const int tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(tty, 0);
  winsize ws{};
  ws.ws_col = 77;
  ASSERT_EQ(::ioctl(tty, TIOCSWINSZ, &ws), 0);
  EXPECT_TRUE(progress_wanted(false, tty));
  EXPECT_FALSE(progress_wanted(true, tty));
  EXPECT_EQ(terminal_columns(tty), 77);
  ::setenv("TERM", "dumb", 1);
  EXPECT_FALSE(progress_wanted(false, tty));
  ::unsetenv("TERM");
  EXPECT_TRUE(progress_wanted(false, tty));
  ::close(tty);
  ::close(master);
}

}  // namespace
}  // namespace vantage::cli
