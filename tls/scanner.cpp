#include "tls/scanner.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "tls/cipher_suites.hpp"

namespace vantage::tls {

const char* to_string(HelloOutcome::Kind k) {
  switch (k) {
    case HelloOutcome::Kind::kServerHello:
      return "server-hello";
    case HelloOutcome::Kind::kAlert:
      return "alert";
    case HelloOutcome::Kind::kReset:
      return "reset";
    case HelloOutcome::Kind::kClosed:
      return "closed";
    case HelloOutcome::Kind::kTimeout:
      return "timeout";
    case HelloOutcome::Kind::kGarbage:
      return "not-tls";
    case HelloOutcome::Kind::kNoConnection:
      return "no-connection";
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
    case ParseResult::Kind::kNeedMore:
      break;
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
  Connection c = connect(hello_dl);
  if (!c.fd) {
    HelloOutcome o;
    o.kind = HelloOutcome::Kind::kNoConnection;
    o.detail = c.error;
    return o;
  }
  randomize(opt);
  auto bytes = build_client_hello(opt);
  return exchange_hello(c.fd.get(), bytes, hello_dl);
}

namespace {

bool accepted_as(const HelloOutcome& o, Version v) {
  return o.kind == HelloOutcome::Kind::kServerHello && o.hello.version == wire(v);
}

SuiteResult suite_of(const HelloOutcome& o) {
  SuiteResult s;
  s.code = o.hello.suite;
  s.dh_bits = o.hello.dh_bits;
  s.ecdh_group = o.hello.ecdh_group ? o.hello.ecdh_group : o.hello.key_share_group;
  return s;
}

VersionResult scan_version(const Connector& connect, const ScanOptions& opt, Version v, Deadline dl,
                           std::atomic<std::size_t>& conns,
                           std::vector<std::vector<std::uint8_t>>& certs) {
  VersionResult vr;
  vr.version = v;
  HelloOptions ho;
  ho.version = v;
  ho.server_name = opt.server_name;
  const bool tls13 = v == Version::kTls13;
  ho.suites = tls13 ? tls13_suite_codes() : legacy_suite_codes();
  vr.first = try_hello(connect, ho, dl, opt.per_hello);
  ++conns;
  std::vector<std::uint16_t> offer = ho.suites;
  // Some stacks drop a hello with hundreds of suites (record > 255/512 bytes)
  // instead of answering it: retry once with the suites that are commonly
  // deployed before calling the version refused.
  const bool dropped =
      vr.first.kind == HelloOutcome::Kind::kClosed || vr.first.kind == HelloOutcome::Kind::kReset;
  if (!tls13 && dropped && !dl.expired()) {
    offer = common_suite_codes();
    ho.suites = offer;
    HelloOutcome retry = try_hello(connect, ho, dl, opt.per_hello);
    ++conns;
    if (retry.kind == HelloOutcome::Kind::kServerHello ||
        retry.kind == HelloOutcome::Kind::kAlert) {
      vr.notes.push_back(std::string(to_string(v)) + ": the full-list hello got a TCP " +
                         to_string(vr.first.kind) + "; a hello with " +
                         std::to_string(offer.size()) + " common suites was answered");
      vr.first = std::move(retry);
    } else {
      offer = legacy_suite_codes();
    }
  }
  vr.accepted = accepted_as(vr.first, v);
  if (vr.first.kind == HelloOutcome::Kind::kServerHello && !vr.accepted)
    vr.notes.push_back("server answered a " + std::string(to_string(v)) + " hello with " +
                       version_name(vr.first.hello.version));
  if (!vr.accepted) return vr;
  if (!vr.first.hello.certificates.empty()) certs = vr.first.hello.certificates;
  if (!opt.enumerate_suites) {
    vr.suites.push_back(suite_of(vr.first));
    return vr;
  }
  if (tls13) {
    // Each of the five suites on its own: the server can only pick that one.
    for (std::uint16_t code : tls13_suite_codes()) {
      if (dl.expired()) {
        vr.enumeration_truncated = true;
        break;
      }
      ho.suites = {code};
      HelloOutcome o = try_hello(connect, ho, dl, opt.per_hello);
      ++conns;
      if (accepted_as(o, v) && o.hello.suite == code) vr.suites.push_back(suite_of(o));
    }
    return vr;
  }
  // Offer everything, remove what the server chose, repeat.
  HelloOutcome o = vr.first;
  for (std::size_t round = 0;; ++round) {
    if (!accepted_as(o, v)) break;
    auto it = std::find(offer.begin(), offer.end(), o.hello.suite);
    if (it == offer.end()) {
      vr.notes.push_back("server chose suite " + suite_name(o.hello.suite) +
                         " that was not offered");
      break;
    }
    offer.erase(it);
    vr.suites.push_back(suite_of(o));
    if (offer.empty()) break;
    if (round + 1 >= opt.max_suites || dl.expired()) {
      vr.enumeration_truncated = true;
      break;
    }
    ho.suites = offer;
    o = try_hello(connect, ho, dl, opt.per_hello);
    ++conns;
    if (o.kind == HelloOutcome::Kind::kTimeout || o.kind == HelloOutcome::Kind::kNoConnection) {
      vr.enumeration_truncated = true;
      vr.notes.push_back(std::string("suite enumeration stopped: ") + to_string(o.kind) +
                         (o.detail.empty() ? "" : " (" + o.detail + ")"));
      break;
    }
  }
  return vr;
}

}  // namespace

ScanResult scan(const Connector& connect, const ScanOptions& opt, Deadline dl) {
  ScanResult r;
  r.versions.resize(opt.versions.size());
  std::vector<std::vector<std::vector<std::uint8_t>>> certs(opt.versions.size());
  std::atomic<std::size_t> conns{0};
  auto run = [&](std::size_t i) {
    try {
      r.versions[i] = scan_version(connect, opt, opt.versions[i], dl, conns, certs[i]);
    } catch (const std::exception& e) {  // a thread must not let an exception escape
      r.versions[i].version = opt.versions[i];
      r.versions[i].first.kind = HelloOutcome::Kind::kNoConnection;
      r.versions[i].first.detail = e.what();
    }
  };
  if (opt.parallel && opt.versions.size() > 1) {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < opt.versions.size(); ++i) threads.emplace_back(run, i);
    for (auto& t : threads) t.join();
  } else {
    for (std::size_t i = 0; i < opt.versions.size(); ++i) run(i);
  }
  // Prefer the chain from the newest version that sent one in the clear.
  for (std::size_t i = certs.size(); i-- > 0;)
    if (!certs[i].empty()) {
      r.certificates = std::move(certs[i]);
      break;
    }
  r.connections = conns.load();
  return r;
}

}  // namespace vantage::tls
