#pragma once
// Classifies what a TCP connection attempt from a vantage point saw.
//
//   open            handshake completed
//   closed          RST in answer to SYN (ECONNREFUSED, empty error queue)
//   filtered        no answer within the deadline on every attempt
//   unreachable     ICMP destination unreachable (IP_RECVERR error queue)
//   service-refused handshake completed, then the peer closed or reset
//                   before sending anything (only with a settle window)
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.hpp"
#include "core/unique_fd.hpp"
#include "net/sockaddr.hpp"
#include "net/source.hpp"

namespace vantage::net {

enum class TcpOutcome { kOpen, kClosed, kFiltered, kUnreachable, kServiceRefused };
const char* to_string(TcpOutcome o);
std::optional<TcpOutcome> tcp_outcome_from(const std::string& s);
const std::vector<std::string>& tcp_outcome_names();

struct IcmpInfo {
  int origin = 0;  // SO_EE_ORIGIN_*
  int type = 0;
  int code = 0;
  std::string from;  // the address that sent the ICMP error
};

struct ConnectAttempt {
  TcpOutcome outcome = TcpOutcome::kFiltered;
  int err = 0;  // errno from connect / SO_ERROR
  std::optional<IcmpInfo> icmp;
  double rtt_ms = 0;
  std::string local;  // address:port actually used (getsockname)
};

struct ConnectResult {
  TcpOutcome outcome = TcpOutcome::kFiltered;
  std::vector<ConnectAttempt> attempts;
  std::string local_ip;  // the source IP actually used, empty if never bound
  UniqueFd fd;           // the open socket, when outcome is kOpen (non-blocking)
  std::string error;     // set when the attempt could not be made at all
};

struct ConnectOptions {
  // The overall deadline is shared evenly by the attempts that are left, so
  // a check's timeout bounds the whole check.
  int attempts = 1;
  // After an open handshake, wait this long for an immediate close/reset
  // (service-refused). Zero disables the check and keeps the socket.
  std::chrono::milliseconds settle{0};
};

// Connects from `src` to `dst`, retrying only timeouts. Never throws for
// network outcomes; `error` is set for setup failures (bad source, EMFILE).
ConnectResult tcp_connect(const SourceSpec& src, const SockAddr& dst, const ConnectOptions& opt,
                          Deadline overall);

}  // namespace vantage::net
