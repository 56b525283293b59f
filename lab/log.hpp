#pragma once
// The lab's system log: a bounded ring, like RouterOS's memory logging, with
// the login lines RouterOS writes ("user audit logged in from 192.0.2.10 via
// api", "login failure for user audit from 192.0.2.10 via api-ssl").
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace vantage::lab {

struct LogEntry {
  std::uint64_t id = 0;  // ".id" in /log/print is "*<hex id>"
  std::string time;      // "2026-11-25 15:10:06" (UTC)
  std::string topics;    // "system,info,account" / "system,error,critical"
  std::string message;
  // Structured copy of a login line, for tests.
  enum class Kind { kOther, kLoginOk, kLoginFailed, kLogout } kind = Kind::kOther;
  std::string user, address, service;
};

// Thread-safe; listeners are called with the lock released, in the appending thread.
class LogBook {
 public:
  // `skew`: the router's clock runs this far from the host's (entry times).
  explicit LogBook(std::size_t capacity, std::chrono::seconds skew = {})
      : capacity_(capacity), skew_(skew) {}
  void append(LogEntry e);
  std::vector<LogEntry> entries() const;
  // The entries newer than `id`, oldest first (cheap to poll: no copy of the rest).
  std::vector<LogEntry> entries_after(std::uint64_t id) const;
  using Listener = std::function<void(const LogEntry&)>;
  std::uint64_t subscribe(Listener l);
  void unsubscribe(std::uint64_t id);

 private:
  mutable std::mutex mu_;
  std::size_t capacity_;
  std::chrono::seconds skew_;
  std::uint64_t next_id_ = 1;
  std::deque<LogEntry> ring_;
  std::uint64_t next_listener_ = 1;
  std::map<std::uint64_t, Listener> listeners_;
};

}  // namespace vantage::lab
