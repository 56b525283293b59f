#include "net/tcp_connect.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/plural.hpp"
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

struct QueuedIcmp {
  IcmpInfo info;
  std::optional<SockAddr> offender;  // with the IPv6 scope the kernel gave
};

// Drains the socket error queue; an ICMP error there is what tells an ICMP
// port-unreachable apart from a RST (both surface as ECONNREFUSED). Call it
// only after SO_ERROR was read: dequeuing an entry resets the socket's pending
// error (sock_dequeue_err_skb), and a late ICMP would then look like success.
std::optional<QueuedIcmp> read_errqueue(int fd) {
  std::optional<QueuedIcmp> found;
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
      QueuedIcmp q;
      q.info.origin = ee.ee_origin;
      q.info.type = ee.ee_type;
      q.info.code = ee.ee_code;
      const auto* offender = SO_EE_OFFENDER(reinterpret_cast<sock_extended_err*>(CMSG_DATA(c)));
      if (offender->sa_family == AF_INET) {
        q.offender = SockAddr::from(offender, sizeof(sockaddr_in));
      } else if (offender->sa_family == AF_INET6) {
        q.offender = SockAddr::from(offender, sizeof(sockaddr_in6));
      }
      if (q.offender) q.info.from = q.offender->ip();
      // An ICMP entry outranks a local one (EMSGSIZE...) queued with it.
      const bool icmp = q.info.origin == SO_EE_ORIGIN_ICMP || q.info.origin == SO_EE_ORIGIN_ICMP6;
      if (!found || icmp) found = q;
    }
  }
  return found;
}

bool from_icmp(const std::optional<IcmpInfo>& i) {
  return i && (i->origin == SO_EE_ORIGIN_ICMP || i->origin == SO_EE_ORIGIN_ICMP6);
}

// Whether the ICMP's sender is the source's own host (header comment).
bool sent_locally(const SourceSpec& src, const SockAddr& dst, const std::optional<SockAddr>& from) {
  if (!from) return true;
  if (from->same_ip(dst)) return false;  // the target itself answered
  bool local = true;
  SockAddr probe = *from;
  probe.set_port(0);
  try {
    run_in_netns(src.netns, [&] {
      UniqueFd fd(::socket(probe.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
      if (fd && ::bind(fd.get(), probe.sa(), probe.len()) != 0 && errno == EADDRNOTAVAIL)
        local = false;
    });
  } catch (const Error&) {
    local = true;  // cannot tell: fail closed
  }
  return local;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double ms_of(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

std::string icmp_words(const IcmpInfo& i) {
  std::string s = "ICMP type " + std::to_string(i.type) + " code " + std::to_string(i.code);
  if (i.type == 3 && i.code == 13) s += " (administratively prohibited)";
  if (i.type == 3 && i.code == 3) s += " (port unreachable)";
  if (i.type == 3 && i.code == 1) s += " (host unreachable)";
  return s;
}

// Why a finished connect says nothing about the network; empty when it does.
std::string local_failure(int err, const std::optional<IcmpInfo>& icmp, const std::string& dst_ip) {
  if (from_icmp(icmp)) {
    if (icmp->local) {
      return icmp_words(*icmp) + " came from " +
             (icmp->from.empty() ? std::string("an unknown sender")
                                 : "local address " + icmp->from) +
             ": the vantage host itself refused to send (its own firewall, or no neighbour "
             "answered on its link), not an answer from the network";
    }
    if (err == 0) {
      return "the handshake completed, then " + icmp_words(*icmp) + " from " + icmp->from +
             " arrived: neither open nor unreachable";
    }
    return "";
  }
  const std::string why = std::string(" (connect: ") + std::strerror(err) + ")";
  switch (err) {
    case 0:
    case ECONNREFUSED:
    case ECONNRESET:
    case ETIMEDOUT: return "";
    case ENETUNREACH:
    case EHOSTUNREACH:
      return "the source has no route to " + dst_ip + why + ", and no ICMP came from the network";
    case EACCES:
    case EPERM:
      return "the vantage host refused to send" + why +
             ": a local firewall, cgroup or security policy on the source";
    case EADDRNOTAVAIL: return "the source address cannot be used" + why;
    default: return "the connection failed on the source" + why;
  }
}

// Classifies a connect that finished with `err` (0 = established) once
// local_failure() found nothing local about it.
TcpOutcome classify(int err, const std::optional<IcmpInfo>& icmp) {
  if (from_icmp(icmp)) return TcpOutcome::kUnreachable;
  switch (err) {
    case 0: return TcpOutcome::kOpen;
    case ECONNREFUSED: return TcpOutcome::kClosed;
    // A reset after the handshake can land before connect() reports success
    // (seen on loopback): the peer accepted, then refused the session.
    case ECONNRESET: return TcpOutcome::kServiceRefused;
    default: return TcpOutcome::kFiltered;  // ETIMEDOUT: the kernel's own SYN retries ran out
  }
}

int so_error(int fd) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  return err;
}

}  // namespace

ConnectResult tcp_connect(const SourceSpec& src, const SockAddr& dst, const ConnectOptions& opt,
                          Deadline overall) {
  ConnectResult result;
  const std::string who = (src.name.empty() ? std::string("this host") : src.name) +
                          " cannot reach " + dst.to_string() + ": ";
  auto fail = [&](ConnectAttempt at, const std::string& why) {
    at.error = why;
    result.attempts.push_back(std::move(at));
    result.error = who + why;
    return std::move(result);
  };
  const int attempts = std::max(1, opt.attempts);
  bool resampled = false;  // one extra connect for a clean RTT sample (below)
  for (int i = 0; i < attempts; ++i) {
    // Later attempts get whatever is left when the earlier ones ran short.
    const auto left = overall.at() - Clock::now();
    if (left <= Clock::duration::zero()) break;
    auto share = left / (attempts - i);
    bool last = i + 1 == attempts;
    if (share < opt.min_wait) {
      share = left;  // one SYN that may be answered beats several that may not
      last = true;
    }
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
    at.budget_ms = ms_of(share);
    const auto t0 = Clock::now();
    int err = 0;
    std::optional<QueuedIcmp> queued;
    at.sent = std::chrono::system_clock::now();
    if (::connect(fd.get(), dst.sa(), dst.len()) != 0) err = errno;
    bool timed_out = false;
    if (err == EINPROGRESS) {
      short rev = wait_fd(fd.get(), POLLOUT, dl);
      if (rev == 0) {
        timed_out = true;
      } else {
        err = so_error(fd.get());  // first: see read_errqueue
        queued = read_errqueue(fd.get());
      }
    } else if (err != 0) {
      queued = read_errqueue(fd.get());
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
      if (last) break;
      continue;  // only timeouts are retried
    }
    at.err = err;
    if (queued) {
      at.icmp = queued->info;
      if (from_icmp(at.icmp)) at.icmp->local = sent_locally(src, dst, queued->offender);
    }
    if (auto why = local_failure(err, at.icmp, dst.ip()); !why.empty()) {
      at.left_host = false;
      return fail(at, why);
    }
    at.outcome = classify(err, at.icmp);
    if (at.outcome == TcpOutcome::kOpen && opt.settle.count() > 0 && !resampled) {
      // The window would be sized from a sample that holds a resend timeout,
      // or from one a transient delay inflated past the check's time (one
      // slow round trip on a loaded path): once, connect again for a clean
      // sample (this attempt does not count).
      const auto window = settle_window(fd.get(), opt.settle);
      std::string why;
      if (handshake_resent(fd.get()))
        why =
            "the handshake needed a resend, so its round-trip sample cannot size the settle "
            "window: connected again";
      else if (Clock::now() + window > overall.at())
        why = "the settle window this handshake's round trip gives (" +
              std::to_string(window.count()) +
              " ms) does not fit the check's time left, and one slow round trip may be a "
              "passing delay: connected again";
      if (!why.empty()) {
        resampled = true;
        at.note = std::move(why);
        result.attempts.push_back(at);
        --i;
        continue;
      }
    }
    if (at.outcome == TcpOutcome::kOpen && opt.settle.count() > 0) {
      // A service that accepts and then immediately closes or resets; how
      // long that takes to be heard follows this link (settle_window).
      const auto window = settle_window(fd.get(), opt.settle);
      const Deadline full = Deadline::in(window);
      short rev = wait_fd(fd.get(), POLLIN | POLLRDHUP, full.earlier(overall));
      if (rev == 0 && overall.at() < full.at()) {
        // Cut short: "open" would rest on a window this link did not allow.
        return fail(at, "the handshake completed, but the check's time ran out before the " +
                            std::to_string(window.count()) +
                            " ms in which this link tells open from a service that accepts "
                            "and then closes; give the check a longer timeout");
      }
      if (rev != 0) {
        const int late = so_error(fd.get());  // first, as above
        if (auto q = read_errqueue(fd.get()); q && from_icmp(q->info)) {
          at.icmp = q->info;
          return fail(at, "the handshake completed, then " + icmp_words(q->info) + " from " +
                              q->info.from + " arrived: neither open nor refused by the service");
        }
        std::uint8_t b;
        ssize_t n = ::recv(fd.get(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
        const int rerr = n < 0 ? errno : 0;
        if (late == ECONNRESET || late == EPIPE) {
          at.outcome = TcpOutcome::kServiceRefused;
          at.err = late;
        } else if (n == 0 || rerr == ECONNRESET || rerr == EPIPE) {
          at.outcome = TcpOutcome::kServiceRefused;
          at.err = rerr;
        } else if (late != 0 || (n < 0 && rerr != EAGAIN && rerr != EWOULDBLOCK)) {
          return fail(at, std::string("the handshake completed, then the connection failed (") +
                              std::strerror(late != 0 ? late : rerr) + ")");
        }
      }
    }
    result.attempts.push_back(at);
    result.outcome = at.outcome;
    if (at.outcome == TcpOutcome::kOpen) result.fd = std::move(fd);
    return result;
  }
  // Only timeouts get here. Silence proves something only if a SYN had time.
  if (result.attempts.empty()) {
    result.error = who + "the deadline was spent before any SYN was sent";
    return result;
  }
  const bool real = std::any_of(
      result.attempts.begin(), result.attempts.end(),
      [&](const ConnectAttempt& a) { return a.budget_ms >= ms_of(opt.min_wait) - 0.5; });
  if (!real) {
    double longest = 0;
    for (const auto& a : result.attempts) longest = std::max(longest, a.budget_ms);
    result.error = who + "no answer to " + counted(result.attempts.size(), "SYN") +
                   ", but not enough time for one: the longest wait was " +
                   std::to_string(static_cast<int>(longest)) +
                   " ms, and silence counts as filtered only after " +
                   std::to_string(opt.min_wait.count()) + " ms";
    return result;
  }
  result.outcome = TcpOutcome::kFiltered;
  return result;
}

}  // namespace vantage::net
