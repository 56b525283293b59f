#pragma once
// Classifies what a TCP connection attempt from a vantage point saw.
//
//   open            handshake completed
//   closed          RST in answer to SYN (ECONNREFUSED, empty error queue)
//   filtered        no answer within the deadline, and at least one SYN had
//                   ConnectOptions::min_wait to be answered
//   unreachable     ICMP destination unreachable from a non-local sender
//                   (IP_RECVERR error queue)
//   service-refused handshake completed, then the peer closed or reset
//                   before sending anything (only with a settle window)
//
// Anything else is ConnectResult::error, never an outcome: a failure on the
// vantage host itself (no route: ENETUNREACH or EHOSTUNREACH without ICMP;
// EACCES/EPERM from a local firewall, cgroup or LSM; EADDRNOTAVAIL; ENOBUFS;
// any other errno), an ICMP sent by the source's own host (its OUTPUT reject,
// a failed neighbour lookup), an ICMP after a completed handshake, or a
// deadline that left no SYN a real chance.
//
// "Local" sender: an ICMP from the target address itself is the target's
// answer. Any other sender is local when bind() to it (port 0) succeeds in the
// source's namespace, i.e. it is an address of that namespace; only
// EADDRNOTAVAIL proves it is not. A sender that cannot be placed (no address,
// any other bind error, net.ipv4.ip_nonlocal_bind set) counts as local: an
// error, never a pass.
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
  std::string from;    // the address that sent the ICMP error
  bool local = false;  // sent by the source's own host (see above)
};

struct ConnectAttempt {
  TcpOutcome outcome = TcpOutcome::kFiltered;
  int err = 0;  // errno from connect / SO_ERROR
  std::optional<IcmpInfo> icmp;
  double rtt_ms = 0;
  double budget_ms = 0;  // how long this SYN was given
  std::string local;     // address:port actually used (getsockname)
  std::string error;     // this attempt saw nothing from the network (why)
  // False when the failure was local (no route, a local firewall, no such
  // address): no SYN left this host, so no capture can have seen one.
  bool left_host = true;
  // Why this open connection was not judged and another was made instead.
  std::string note;
};

struct ConnectResult {
  TcpOutcome outcome = TcpOutcome::kFiltered;  // meaningless when error is set
  std::vector<ConnectAttempt> attempts;
  std::string local_ip;  // the source IP actually used, empty if never bound
  UniqueFd fd;           // the open socket, when outcome is kOpen (non-blocking)
  std::string error;     // set when no outcome could be observed (see above)
};

struct ConnectOptions {
  // The overall deadline is shared evenly by the attempts that are left, so
  // a check's timeout bounds the whole check; a share shorter than min_wait
  // is not made: the time left goes to one SYN instead.
  int attempts = 1;
  // After an open handshake, wait this long for an immediate close/reset
  // (service-refused). Zero disables the check and keeps the socket.
  std::chrono::milliseconds settle{0};
  // A SYN given less than this cannot prove silence: "filtered" needs one
  // SYN that waited at least this long (a real link has 100+ ms RTT).
  std::chrono::milliseconds min_wait{200};
};

// Connects from `src` to `dst`, retrying only timeouts. Never throws for
// network outcomes; `error` is set for setup and local failures.
ConnectResult tcp_connect(const SourceSpec& src, const SockAddr& dst, const ConnectOptions& opt,
                          Deadline overall);

}  // namespace vantage::net
