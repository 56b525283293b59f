#include "net/tcp_connect.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "net/stream.hpp"

namespace vantage::net {

const char* to_string(TcpOutcome o) {
  switch (o) {
    case TcpOutcome::kOpen: return "open";
    case TcpOutcome::kClosed: return "closed";
    case TcpOutcome::kFiltered: return "filtered";
    case TcpOutcome::kUnreachable: return "unreachable";
    case TcpOutcome::kServiceRefused: return "service-refused";
  }
  return "filtered";
}

const std::vector<std::string>& tcp_outcome_names() {
  static const std::vector<std::string> names = {"open", "closed", "filtered", "unreachable",
                                                 "service-refused"};
  return names;
}

std::optional<TcpOutcome> tcp_outcome_from(const std::string& s) {
  for (auto o : {TcpOutcome::kOpen, TcpOutcome::kClosed, TcpOutcome::kFiltered,
                 TcpOutcome::kUnreachable, TcpOutcome::kServiceRefused}) {
    if (s == to_string(o)) return o;
  }
  return std::nullopt;
}

namespace {

void enable_recverr(int fd, int family) {
  int one = 1;
  if (family == AF_INET6) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
  } else {
    ::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
  }
}

// Drains the socket error queue; an ICMP error there is what tells an ICMP
// port-unreachable apart from a RST (both surface as ECONNREFUSED).
std::optional<IcmpInfo> read_errqueue(int fd) {
  std::optional<IcmpInfo> found;
  for (int i = 0; i < 8; ++i) {  // bounded: the queue holds at most a few entries
    std::array<char, 512> control{};
    std::array<char, 64> data{};
    iovec iov{data.data(), data.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
      const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
      if (!v4 && !v6) continue;
      sock_extended_err ee{};
      std::memcpy(&ee, CMSG_DATA(c), sizeof(ee));
      IcmpInfo info;
      info.origin = ee.ee_origin;
      info.type = ee.ee_type;
      info.code = ee.ee_code;
      const auto* offender = SO_EE_OFFENDER(reinterpret_cast<sock_extended_err*>(CMSG_DATA(c)));
      if (offender->sa_family == AF_INET) {
        info.from = SockAddr::from(offender, sizeof(sockaddr_in)).ip();
      } else if (offender->sa_family == AF_INET6) {
        info.from = SockAddr::from(offender, sizeof(sockaddr_in6)).ip();
      }
      found = info;
    }
  }
  return found;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Classifies a connect that finished with `err` (0 = established).
TcpOutcome classify(int err, const std::optional<IcmpInfo>& icmp) {
  if (err == 0) return TcpOutcome::kOpen;
  const bool from_icmp =
      icmp && (icmp->origin == SO_EE_ORIGIN_ICMP || icmp->origin == SO_EE_ORIGIN_ICMP6);
  if (from_icmp) return TcpOutcome::kUnreachable;
  switch (err) {
    case ECONNREFUSED: return TcpOutcome::kClosed;
    // A reset after the handshake can land before connect() reports success
    // (seen on loopback): the peer accepted, then refused the session.
    case ECONNRESET: return TcpOutcome::kServiceRefused;
    case ETIMEDOUT: return TcpOutcome::kFiltered;
    default: return TcpOutcome::kUnreachable;  // EHOSTUNREACH, ENETUNREACH: no route
  }
}

}  // namespace

ConnectResult tcp_connect(const SourceSpec& src, const SockAddr& dst, const ConnectOptions& opt,
                          Deadline overall) {
  ConnectResult result;
  const int attempts = std::max(1, opt.attempts);
  for (int i = 0; i < attempts && !overall.expired(); ++i) {
    // Later attempts get whatever is left when the earlier ones ran short.
    const auto left = overall.at() - Clock::now();
    const auto share = left / (attempts - i);
    Deadline dl = Deadline(Clock::now() + share).earlier(overall);
    UniqueFd fd;
    try {
      fd = make_socket(src, dst.family(), SOCK_STREAM);
    } catch (const PermissionError&) {
      throw;
    } catch (const Error& e) {
      result.error = e.what();
      return result;
    }
    enable_recverr(fd.get(), dst.family());

    ConnectAttempt at;
    const auto t0 = Clock::now();
    int err = 0;
    if (::connect(fd.get(), dst.sa(), dst.len()) != 0) err = errno;
    bool timed_out = false;
    if (err == EINPROGRESS) {
      short rev = wait_fd(fd.get(), POLLOUT, dl);
      if (rev == 0) {
        timed_out = true;
      } else {
        socklen_t len = sizeof(err);
        at.icmp = read_errqueue(fd.get());
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
      }
    } else if (err != 0) {
      at.icmp = read_errqueue(fd.get());
    }
    at.rtt_ms = ms_since(t0);
    if (auto local = SockAddr::local_of(fd.get()); local && local->port() != 0) {
      at.local = local->to_string();
      result.local_ip = local->ip();
    }
    if (timed_out) {
      at.outcome = TcpOutcome::kFiltered;
      at.err = ETIMEDOUT;
      result.attempts.push_back(at);
      result.outcome = TcpOutcome::kFiltered;
      continue;  // only timeouts are retried
    }
    at.err = err;
    at.outcome = classify(err, at.icmp);
    if (at.outcome == TcpOutcome::kOpen && opt.settle.count() > 0) {
      // A service that accepts and then immediately closes or resets.
      Deadline settle = Deadline::in(opt.settle).earlier(overall);
      short rev = wait_fd(fd.get(), POLLIN | POLLRDHUP, settle);
      if (rev != 0) {
        std::uint8_t b;
        ssize_t n = ::recv(fd.get(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE))) {
          at.outcome = TcpOutcome::kServiceRefused;
          at.err = n == 0 ? 0 : errno;
        }
      }
    }
    result.attempts.push_back(at);
    result.outcome = at.outcome;
    if (at.outcome == TcpOutcome::kOpen) result.fd = std::move(fd);
    return result;
  }
  return result;
}

}  // namespace vantage::net
