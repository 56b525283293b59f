#pragma once
// What the scanner tests' peers share: a connector to a loopback port, and a
// TLS 1.2 server's choice from the suites a ClientHello offers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tls/hello_exchange.hpp"

namespace vantage::tls::peers {

// A socket listening on a free loopback port, which goes to `port`. Its
// backlog holds what lanes queue at a peer that serves one at a time.
inline int listen_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 256);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// Connections to 127.0.0.1:port.
inline Connector connector_to(std::uint16_t port) {
  return [port](Deadline) {
    Connection c;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);  // loopback: completes at once
    c.fd = UniqueFd(fd);
    return c;
  };
}

// The suites of a ClientHello (TLS 1.2 record), or empty when it is not one.
inline std::vector<std::uint16_t> offered_suites(int fd) {
  std::vector<unsigned char> b;
  unsigned char buf[4096];
  while (b.size() < 5 || b.size() < 5 + std::size_t(b[3] << 8 | b[4])) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0 || b.size() > 65536) return {};
    b.insert(b.end(), buf, buf + n);
  }
  std::size_t at = 5 + 4 + 2 + 32;  // record and handshake headers, version, random
  if (b.size() < at + 1 || b[0] != 22 || b[5] != 1) return {};
  at += 1 + b[at];  // session id
  if (b.size() < at + 2) return {};
  const std::size_t len = b[at] << 8 | b[at + 1];
  std::vector<std::uint16_t> out;
  for (std::size_t i = at + 2; i + 1 < at + 2 + len && i + 1 < b.size(); i += 2)
    out.push_back(static_cast<std::uint16_t>(b[i] << 8 | b[i + 1]));
  return out;
}

// A TLS 1.2 server that accepts exactly `accepts`: from any offer it picks
// the first suite it accepts (a ServerHello), else a handshake_failure alert.
inline void choose_from(int fd, const std::vector<std::uint16_t>& accepts) {
  const auto offer = offered_suites(fd);
  auto pick = std::find_first_of(offer.begin(), offer.end(), accepts.begin(), accepts.end());
  if (pick == offer.end()) {
    const unsigned char alert[] = {21, 3, 3, 0, 2, 2, 40};
    (void)::send(fd, alert, sizeof alert, MSG_NOSIGNAL);
  } else {
    std::vector<unsigned char> hello = {22, 3, 3, 0, 44, 2, 0, 0, 40, 3, 3};
    for (int i = 0; i < 32; ++i) hello.push_back(static_cast<unsigned char>(i));
    hello.insert(hello.end(), {0, static_cast<unsigned char>(*pick >> 8),
                               static_cast<unsigned char>(*pick & 0xff), 0, 0, 0});
    (void)::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL);
  }
  ::close(fd);
}

}  // namespace vantage::tls::peers
