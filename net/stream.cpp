#include "net/stream.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>

namespace vantage::net {

const char* to_string(IoResult::Status s) {
  switch (s) {
    case IoResult::Status::kOk: return "ok";
    case IoResult::Status::kEof: return "closed by peer";
    case IoResult::Status::kReset: return "reset by peer";
    case IoResult::Status::kTimeout: return "timeout";
    case IoResult::Status::kError: return "error";
  }
  return "error";
}

std::chrono::milliseconds answer_window(int fd, std::chrono::milliseconds floor) {
  tcp_info ti{};
  socklen_t len = sizeof ti;
  // An older kernel may fill less than glibc's struct; rtt must be there.
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
      len < offsetof(tcp_info, tcpi_rttvar))
    return floor;
  // Both in microseconds; the kernel's rto already holds its 200 ms floor.
  const auto rto = std::max<std::chrono::microseconds>(std::chrono::microseconds(ti.tcpi_rto),
                                                       std::chrono::seconds(1));
  const auto measured = std::chrono::microseconds(ti.tcpi_rtt) + 4 * rto;
  return std::max(floor, std::chrono::duration_cast<std::chrono::milliseconds>(measured));
}

std::chrono::milliseconds settle_window(int fd, std::chrono::milliseconds floor) {
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  tcp_info ti{};
  socklen_t len = sizeof ti;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
      len < offsetof(tcp_info, tcpi_total_retrans) + sizeof ti.tcpi_total_retrans)
    return std::max(floor, milliseconds(650));  // the ideal link's figure below
  const microseconds rtt(ti.tcpi_rtt);
  microseconds peer_rto = std::max<microseconds>(3 * rtt, rtt + milliseconds(200));
  // Our handshake was resent: the peer's SYN-ACK may have been too. With TCP
  // timestamps the peer still takes an RTT sample (from the echo); without,
  // it has none and keeps its initial 1 s RTO.
  if (ti.tcpi_total_retrans > 0 && (ti.tcpi_options & TCPI_OPT_TIMESTAMPS) == 0)
    peer_rto = std::max<microseconds>(peer_rto, seconds(1));
  // Its FIN, then the resends after one RTO and after two more.
  const auto w = rtt + 3 * peer_rto + rtt / 4 + milliseconds(50);
  return std::max(floor, std::chrono::duration_cast<milliseconds>(w));
}

bool handshake_resent(int fd) {
  tcp_info ti{};
  socklen_t len = sizeof ti;
  return ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
         len >= offsetof(tcp_info, tcpi_total_retrans) + sizeof ti.tcpi_total_retrans &&
         ti.tcpi_total_retrans > 0;
}

short wait_fd(int fd, short events, Deadline dl) {
  // Bounded: each poll waits at most until the deadline; EINTR retries.
  for (;;) {
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, dl.poll_ms());
    if (rc > 0) return p.revents;
    if (rc == 0) return 0;
    if (errno != EINTR) return POLLERR;
  }
}

static IoResult from_errno(int err) {
  IoResult r;
  r.err = err;
  r.status =
      (err == ECONNRESET || err == EPIPE) ? IoResult::Status::kReset : IoResult::Status::kError;
  return r;
}

IoResult PlainStream::read_some(std::span<std::uint8_t> buf, Deadline dl) {
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n > 0) return IoResult{IoResult::Status::kOk, static_cast<std::size_t>(n), 0, {}};
    if (n == 0) return IoResult{IoResult::Status::kEof, 0, 0, {}};
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return from_errno(errno);
    if (wait_fd(fd_.get(), POLLIN, dl) == 0) return IoResult{IoResult::Status::kTimeout, 0, 0, {}};
  }
}

IoResult PlainStream::write_all(std::span<const std::uint8_t> buf, Deadline dl) {
  std::size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = ::send(fd_.get(), buf.data() + done, buf.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      IoResult r = from_errno(errno);
      r.bytes = done;
      return r;
    }
    if (wait_fd(fd_.get(), POLLOUT, dl) == 0)
      return IoResult{IoResult::Status::kTimeout, done, 0, {}};
  }
  return IoResult{IoResult::Status::kOk, done, 0, {}};
}

}  // namespace vantage::net
