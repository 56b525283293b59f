#pragma once
// For commands that run until Ctrl-C (lab, watch): SIGINT and SIGTERM are
// blocked in this thread, and in every thread started after, so they are
// taken with sigtimedwait(set()) instead of ending the process mid-report.
// Construct it before starting any thread; the old mask comes back on scope
// exit.
#include <pthread.h>
#include <signal.h>

namespace vantage::cli {

class SignalBlock {
 public:
  SignalBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_{}, old_{};
};

}  // namespace vantage::cli
