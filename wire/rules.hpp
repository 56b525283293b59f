#pragma once
// The iptables rules that send the namespace's traffic to the wire's queues,
// in the mangle table, IPv4 and IPv6, each hook jumping to a chain of ours:
//
//   PREROUTING  ! -i lo -> VANTAGE_WIRE_IN  -> NFQUEUE ingress
//   POSTROUTING ! -o lo -> VANTAGE_WIRE_OUT -> NFQUEUE egress
//   OUTPUT        -o lo -> VANTAGE_WIRE_LO  -> NFQUEUE loopback   (optional)
//
// No --queue-bypass: when nothing serves a queue its packets wait (fail
// closed). iptables-nft (xt NFQUEUE through nft_compat) is used because this
// kernel's nftables has no `queue` expression.
#include <cstdint>
#include <optional>
#include <string>

namespace vantage::wire {

struct QueueNumbers {
  std::uint16_t ingress = 7100;
  std::uint16_t egress = 7101;
  std::optional<std::uint16_t> loopback;  // 7102 when loopback traffic is delayed too
};

class Rules {
 public:
  // Removes rules a killed wire left behind, then installs ours (atomic per
  // family, with iptables-restore --noflush). Throws on failure.
  explicit Rules(const QueueNumbers& q);
  ~Rules();  // removes them unless remove() already did
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;
  // Removes exactly what was installed; throws with iptables' message on failure.
  void remove();

  static std::string install_script(const QueueNumbers& q);
  static std::string remove_script(const QueueNumbers& q);

 private:
  QueueNumbers q_;
  bool installed_ = false;
};

}  // namespace vantage::wire
