#pragma once
// A byte stream with deadlines, so application probes (RouterOS API, REST)
// speak the same way over plain TCP and over TLS.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/deadline.hpp"
#include "core/unique_fd.hpp"

namespace vantage::net {

struct IoResult {
  enum class Status { kOk, kEof, kReset, kTimeout, kError };
  Status status = Status::kOk;
  std::size_t bytes = 0;
  int err = 0;         // errno, when relevant
  std::string detail;  // e.g. TLS alert text

  bool ok() const { return status == Status::kOk; }
};
const char* to_string(IoResult::Status s);

class Stream {
 public:
  virtual ~Stream() = default;
  // Reads at most buf.size() bytes; kOk with bytes > 0, or a terminal status.
  virtual IoResult read_some(std::span<std::uint8_t> buf, Deadline dl) = 0;
  virtual IoResult write_all(std::span<const std::uint8_t> buf, Deadline dl) = 0;
  virtual int fd() const = 0;
};

// A stream over a connected, non-blocking TCP socket.
class PlainStream final : public Stream {
 public:
  explicit PlainStream(UniqueFd fd) : fd_(std::move(fd)) {}
  IoResult read_some(std::span<std::uint8_t> buf, Deadline dl) override;
  IoResult write_all(std::span<const std::uint8_t> buf, Deadline dl) override;
  int fd() const override { return fd_.get(); }

 private:
  UniqueFd fd_;
};

// Waits for `events` on fd until the deadline; returns poll's revents, or 0 on timeout.
short wait_fd(int fd, short events, Deadline dl);

// How long to wait on a connected TCP socket before silence may be taken to
// mean "the peer sent nothing": this connection's smoothed RTT plus four
// retransmit timeouts, so a segment the peer lost twice (resent after RTO,
// then 2 RTO) still arrives, with an RTO to spare. The peer's RTO is not
// ours: one that has had no RTT sample yet (it has sent nothing but its
// SYN-ACK, and that was resent) still uses RFC 6298's initial 1 s, so the
// RTO counted is at least that. Never below `floor`. A fixed window tuned on
// loopback reads a late FIN on a 120 ms, lossy link as "stayed open".
std::chrono::milliseconds answer_window(int fd, std::chrono::milliseconds floor);

// How long after connect() a service that accepts and at once closes or
// resets has been heard, on this connection's link: the peer's FIN leaves
// half an RTT after our ACK and comes back half an RTT later; each time it is
// lost the peer resends it after its RTO, doubled each time. Linux sets that
// RTO to 3 RTT from its one SYN-ACK sample, never under RTT + 200 ms, and to
// 1 s without a sample (our handshake was resent, so its SYN-ACK may have
// been, and no TCP timestamps let it sample the resend). The window covers the FIN and two resends
// (3 RTO), plus the RTT, a quarter RTT and 50 ms for jitter and timers; never under `floor`. So a
// close is missed only if its FIN is lost three times running. A fixed 200 ms
// missed every such close beyond ~150 ms RTT and any whose first FIN was lost.
std::chrono::milliseconds settle_window(int fd, std::chrono::milliseconds floor);

// Whether this connection's handshake needed a resend: then its one RTT
// sample includes the resend timeout (a 120 ms link measures ~1.1 s), and so
// may the peer's, and neither sizes a settle window well.
bool handshake_resent(int fd);

}  // namespace vantage::net
