#include "lab/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <iterator>

namespace vantage::lab {

void LogBook::append(LogEntry e) {
  std::vector<Listener> to_call;
  {
    std::lock_guard lock(mu_);
    e.id = next_id_++;
    std::time_t now = std::time(nullptr) + skew_.count();
    std::tm tm{};
    gmtime_r(&now, &tm);
    e.time = fmt::format("{:%Y-%m-%d %H:%M:%S}", tm);
    ring_.push_back(e);
    while (ring_.size() > capacity_) ring_.pop_front();
    for (const auto& [id, l] : listeners_) to_call.push_back(l);
  }
  for (const auto& l : to_call) l(e);
}

std::vector<LogEntry> LogBook::entries() const {
  std::lock_guard lock(mu_);
  return {ring_.begin(), ring_.end()};
}

std::vector<LogEntry> LogBook::entries_after(std::uint64_t id) const {
  std::lock_guard lock(mu_);
  auto it = ring_.end();
  while (it != ring_.begin() && std::prev(it)->id > id) --it;
  return {it, ring_.end()};
}

std::uint64_t LogBook::subscribe(Listener l) {
  std::lock_guard lock(mu_);
  listeners_[next_listener_] = std::move(l);
  return next_listener_++;
}

void LogBook::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
}

}  // namespace vantage::lab
