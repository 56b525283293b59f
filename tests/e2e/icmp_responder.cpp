#include "tests/e2e/icmp_responder.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <vector>

#include "net/source.hpp"

namespace vantage::testing {

namespace {

std::uint16_t checksum(const std::uint8_t* p, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2)
    sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
  if (n % 2) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct Pending {
  std::chrono::steady_clock::time_point due;
  in_addr to{};
  std::vector<std::uint8_t> icmp;
};

}  // namespace

DelayedIcmpResponder::DelayedIcmpResponder(const std::string& netns,
                                           std::map<std::uint16_t, int> code_by_port,
                                           std::chrono::milliseconds delay)
    : code_by_port_(std::move(code_by_port)), delay_(delay) {
  net::run_in_netns(netns, [&] {
    packet_.reset(::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP)));
    raw_.reset(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
  });
  if (!packet_ || !raw_) throw std::runtime_error("DelayedIcmpResponder: socket failed (root?)");
  thread_ = std::thread([this] { serve(); });
}

DelayedIcmpResponder::~DelayedIcmpResponder() {
  stop_ = true;
  thread_.join();
}

void DelayedIcmpResponder::serve() {
  std::deque<Pending> pending;  // due times are in arrival order: a fixed delay
  while (!stop_) {
    int wait_ms = 20;  // bounded: the stop flag is seen within 20 ms
    pollfd p{packet_.get(), POLLIN, 0};
    if (::poll(&p, 1, wait_ms) > 0) {
      std::array<std::uint8_t, 2048> buf{};
      sockaddr_ll from{};
      socklen_t flen = sizeof(from);
      ssize_t n = ::recvfrom(packet_.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&from), &flen);
      // Only frames the router receives, never the ones it sends.
      if (n >= 40 && from.sll_pkttype != PACKET_OUTGOING) {
        const std::size_t ihl = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
        const std::uint8_t* tcp = buf.data() + ihl;
        const bool is_tcp = buf[9] == IPPROTO_TCP && static_cast<std::size_t>(n) >= ihl + 20;
        const std::uint16_t dport = is_tcp ? static_cast<std::uint16_t>(tcp[2] << 8 | tcp[3]) : 0;
        const bool syn_only = is_tcp && (tcp[13] & 0x12) == 0x02;
        auto it = code_by_port_.find(dport);
        if (syn_only && it != code_by_port_.end()) {
          Pending q;
          q.due = std::chrono::steady_clock::now() + delay_;
          std::memcpy(&q.to, buf.data() + 12, 4);  // the SYN's source
          // type 3, code, checksum, 4 unused bytes, then IP header + 8 bytes.
          q.icmp = {3, static_cast<std::uint8_t>(it->second), 0, 0, 0, 0, 0, 0};
          q.icmp.insert(q.icmp.end(), buf.data(), buf.data() + ihl + 8);
          const std::uint16_t c = checksum(q.icmp.data(), q.icmp.size());
          q.icmp[2] = static_cast<std::uint8_t>(c >> 8);
          q.icmp[3] = static_cast<std::uint8_t>(c & 0xff);
          pending.push_back(std::move(q));
        }
      }
    }
    const auto now = std::chrono::steady_clock::now();
    while (!pending.empty() && pending.front().due <= now) {
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_addr = pending.front().to;
      const auto& m = pending.front().icmp;
      if (::sendto(raw_.get(), m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&to),
                   sizeof(to)) == static_cast<ssize_t>(m.size()))
        ++sent_;
      pending.pop_front();
    }
  }
}

}  // namespace vantage::testing
