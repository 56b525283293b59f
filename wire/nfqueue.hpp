#pragma once
// A netfilter queue socket (nfnetlink_queue through libmnl) bound to one or
// more queue numbers of the current network namespace, in copy mode META: the
// kernel sends each packet's id, never its payload.
//
//   kernel --NFQNL_MSG_PACKET{queue, id}--> receive() --> Lane --> verdict(queue, id)
//
// Packets stay in the kernel until a verdict; unbinding (the destructor)
// drops any left. Verdicts are batched into one datagram until flush().
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct mnl_socket;

namespace vantage::wire {

// Counters the kernel keeps for one queue (/proc/net/netfilter/nfnetlink_queue).
struct KernelQueueStats {
  std::uint64_t queue_dropped = 0;  // the queue was at its maxlen
  std::uint64_t user_dropped = 0;   // the socket buffer was full
};

class NfQueue {
 public:
  NfQueue();  // throws PermissionError without CAP_NET_ADMIN
  ~NfQueue();
  NfQueue(const NfQueue&) = delete;
  NfQueue& operator=(const NfQueue&) = delete;

  // Binds queue `num` (copy mode META) with a kernel bound of `maxlen` packets.
  void bind(std::uint16_t num, std::uint32_t maxlen);
  int fd() const;
  // Reads every notification already waiting, without blocking.
  void receive(const std::function<void(std::uint16_t queue, std::uint32_t id)>& on_packet);
  void verdict(std::uint16_t queue, std::uint32_t id, bool accept);
  void flush();
  // Notifications the socket lost (ENOBUFS); their packets stay held until unbind.
  std::uint64_t overruns() const { return overruns_; }
  // Empty when nobody has bound queue `num` in this namespace.
  static std::optional<KernelQueueStats> kernel_stats(std::uint16_t num);

 private:
  void request(std::vector<char>& msg);  // sends and waits for the ACK; throws on error
  struct Closer {
    void operator()(mnl_socket* s) const;
  };
  std::unique_ptr<mnl_socket, Closer> nl_;
  std::uint32_t portid_ = 0;
  std::uint32_t seq_ = 1;
  std::vector<char> rx_;
  std::vector<char> batch_;
  std::size_t batch_len_ = 0;
  std::uint64_t overruns_ = 0;
};

}  // namespace vantage::wire
