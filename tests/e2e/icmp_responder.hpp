#pragma once
// A router that answers late: it sees each TCP SYN to a chosen port on an
// AF_PACKET socket (packet taps run before netfilter, so an nft rule can drop
// the SYN itself) and, after a delay, sends an ICMP destination unreachable
// that quotes the SYN's IP header and first 8 bytes, from the router's own
// address. On a zero-latency veth the kernel handles an ICMP inside connect();
// only a late one shows how a verdict holds on a real link.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>

#include "core/unique_fd.hpp"

namespace vantage::testing {

class DelayedIcmpResponder {
 public:
  // code_by_port: destination port -> ICMP type 3 code (3 port, 13 admin-prohibited).
  DelayedIcmpResponder(const std::string& netns, std::map<std::uint16_t, int> code_by_port,
                       std::chrono::milliseconds delay);
  ~DelayedIcmpResponder();
  DelayedIcmpResponder(const DelayedIcmpResponder&) = delete;
  DelayedIcmpResponder& operator=(const DelayedIcmpResponder&) = delete;
  int sent() const { return sent_; }

 private:
  void serve();
  std::map<std::uint16_t, int> code_by_port_;
  std::chrono::milliseconds delay_;
  UniqueFd packet_;  // AF_PACKET, every interface of the namespace, IPv4 only
  UniqueFd raw_;     // raw ICMP: the kernel picks the router's source address
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

}  // namespace vantage::testing
