#include "net/sockaddr.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace vantage::net {

std::optional<SockAddr> SockAddr::parse(const std::string& ip, std::uint16_t port) {
  SockAddr a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.ss_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.ss_);
  std::string host = ip;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.len_ = sizeof(sockaddr_in);
    return a;
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.len_ = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

SockAddr SockAddr::from(const sockaddr* sa, socklen_t len) {
  SockAddr a;
  std::memcpy(&a.ss_, sa, std::min<std::size_t>(len, sizeof(a.ss_)));
  a.len_ = len;
  return a;
}

std::optional<SockAddr> SockAddr::local_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return std::nullopt;
  return from(reinterpret_cast<sockaddr*>(&ss), len);
}

std::optional<SockAddr> SockAddr::peer_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return std::nullopt;
  return from(reinterpret_cast<sockaddr*>(&ss), len);
}

std::uint16_t SockAddr::port() const {
  if (ss_.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&ss_)->sin_port);
  if (ss_.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss_)->sin6_port);
  return 0;
}

void SockAddr::set_port(std::uint16_t port) {
  if (ss_.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&ss_)->sin_port = htons(port);
  if (ss_.ss_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(&ss_)->sin6_port = htons(port);
}

std::string SockAddr::ip() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss_.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss_)->sin_addr, buf, sizeof(buf));
  } else if (ss_.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss_)->sin6_addr, buf, sizeof(buf));
  }
  return buf;
}

std::string SockAddr::to_string() const {
  if (ss_.ss_family == AF_INET6) return "[" + ip() + "]:" + std::to_string(port());
  return ip() + ":" + std::to_string(port());
}

}  // namespace vantage::net
