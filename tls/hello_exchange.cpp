#include "tls/hello_exchange.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <vector>

namespace vantage::tls {

const char* to_string(HelloOutcome::Kind k) {
  switch (k) {
    case HelloOutcome::Kind::kServerHello: return "server-hello";
    case HelloOutcome::Kind::kAlert: return "alert";
    case HelloOutcome::Kind::kReset: return "reset";
    case HelloOutcome::Kind::kClosed: return "closed";
    case HelloOutcome::Kind::kTimeout: return "timeout";
    case HelloOutcome::Kind::kGarbage: return "not-tls";
    case HelloOutcome::Kind::kNoConnection: return "no-connection";
  }
  return "?";
}

namespace {

bool wait(int fd, short events, Deadline dl) {
  pollfd p{fd, events, 0};
  for (;;) {
    int rc = ::poll(&p, 1, dl.poll_ms());
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;
  }
}

HelloOutcome from_parse(const ParseResult& pr, std::size_t bytes) {
  HelloOutcome o;
  o.bytes = bytes;
  switch (pr.kind) {
    case ParseResult::Kind::kServerHello:
      o.kind = HelloOutcome::Kind::kServerHello;
      o.hello = pr.hello;
      break;
    case ParseResult::Kind::kAlert:
      o.kind = HelloOutcome::Kind::kAlert;
      o.alert = pr.alert;
      o.detail = alert_name(pr.alert.description);
      break;
    case ParseResult::Kind::kGarbage:
      o.kind = HelloOutcome::Kind::kGarbage;
      o.detail = pr.reason;
      break;
    case ParseResult::Kind::kNeedMore: break;
  }
  return o;
}

}  // namespace

HelloOutcome exchange_hello(int fd, std::span<const std::uint8_t> hello, Deadline dl,
                            std::size_t max_bytes) {
  HelloOutcome out;
  std::size_t sent = 0;
  while (sent < hello.size()) {
    ssize_t n = ::send(fd, hello.data() + sent, hello.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (!wait(fd, POLLOUT, dl)) {
        out.kind = HelloOutcome::Kind::kTimeout;
        out.detail = "could not send the ClientHello before the deadline";
        return out;
      }
      continue;
    }
    out.kind = (errno == ECONNRESET || errno == EPIPE) ? HelloOutcome::Kind::kReset
                                                       : HelloOutcome::Kind::kClosed;
    out.detail = "connection failed while sending the ClientHello";
    return out;
  }
  std::vector<std::uint8_t> buf;
  buf.reserve(4096);
  std::uint8_t chunk[8192];
  ParseResult last;
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf.insert(buf.end(), chunk, chunk + n);
      last = parse_server_response(buf);
      if (last.kind == ParseResult::Kind::kAlert || last.kind == ParseResult::Kind::kGarbage ||
          (last.kind == ParseResult::Kind::kServerHello && last.hello.flight_complete))
        return from_parse(last, buf.size());
      if (buf.size() >= max_bytes) break;
      continue;
    }
    const bool eof = n == 0;
    const int err = errno;
    if (!eof && (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)) {
      if (wait(fd, POLLIN, dl)) continue;
      out.kind = HelloOutcome::Kind::kTimeout;
      out.detail =
          buf.empty() ? "no answer before the deadline" : "answer incomplete at the deadline";
      break;
    }
    out.kind =
        (!eof && err == ECONNRESET) ? HelloOutcome::Kind::kReset : HelloOutcome::Kind::kClosed;
    out.detail = eof ? "peer closed the connection" : "connection reset";
    break;
  }
  // A ServerHello with a partial flight is still an answer.
  if (last.kind == ParseResult::Kind::kServerHello) return from_parse(last, buf.size());
  if (!buf.empty() && out.kind == HelloOutcome::Kind::kTimeout)
    out.detail += " (" + std::to_string(buf.size()) + " bytes of partial TLS)";
  out.bytes = buf.size();
  return out;
}

HelloOutcome try_hello(const Connector& connect, HelloOptions opt, Deadline dl,
                       std::chrono::milliseconds per_hello) {
  Deadline hello_dl = Deadline::in(per_hello).earlier(dl);
  return hello_on(connect(hello_dl), std::move(opt), hello_dl);
}

HelloOutcome hello_on(const Connection& c, HelloOptions opt, Deadline dl) {
  if (!c.fd) {
    HelloOutcome o;
    o.kind = HelloOutcome::Kind::kNoConnection;
    o.detail = c.error;
    return o;
  }
  randomize(opt);
  auto bytes = build_client_hello(opt);
  return exchange_hello(c.fd.get(), bytes, dl);
}

}  // namespace vantage::tls
