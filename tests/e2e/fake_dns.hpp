#pragma once
// A DNS server for one test namespace. It listens (UDP) on the address this
// host's /etc/resolv.conf names, but inside a namespace the test created, so
// a lookup made in that namespace reaches it and nothing leaves the machine.
// Names it knows get an A record after a delay, names listed as hanging get
// no answer at all, anything else NXDOMAIN.
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "core/unique_fd.hpp"

namespace vantage::testing {

// The first nameserver of /etc/resolv.conf (glibc's default 127.0.0.1 if none).
std::string system_nameserver();

class FakeDns {
 public:
  // Adds the nameserver address to `netns`'s loopback and serves there.
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
