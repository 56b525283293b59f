#pragma once
// A DNS server for one test namespace. It listens (UDP) on kTestNameserver,
// a loopback address, inside a namespace the test created; the test process
// points its resolver there (use_test_resolver), so a lookup made in that
// namespace reaches it, and a lookup made anywhere else stays on this host's
// loopback: no query can leave the machine. Names it knows get an A record
// after a delay, names listed as hanging get no answer at all, anything else
// NXDOMAIN.
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "core/unique_fd.hpp"

namespace vantage::testing {

inline constexpr const char* kTestNameserver = "127.0.0.53";

// Moves this process (and every child it starts) into a private mount
// namespace whose /etc/resolv.conf names only kTestNameserver. Call it while
// the process has one thread (SetUpTestSuite); later calls do nothing.
void use_test_resolver();

class FakeDns {
 public:
  // Serves on kTestNameserver:53 inside `netns`.
  FakeDns(const std::string& netns, std::map<std::string, std::string> a_records,
          std::set<std::string> hang, std::chrono::milliseconds delay);
  ~FakeDns();
  FakeDns(const FakeDns&) = delete;
  FakeDns& operator=(const FakeDns&) = delete;
  int queries() const { return queries_; }

 private:
  void serve();
  std::map<std::string, std::string> a_;
  std::set<std::string> hang_;
  std::chrono::milliseconds delay_;
  UniqueFd fd_;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

}  // namespace vantage::testing
