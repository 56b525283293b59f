#pragma once
// One value type for IPv4 and IPv6 addresses, so no caller casts sockaddr itself.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

namespace vantage::net {

// A value-type socket address (IPv4 or IPv6).
class SockAddr {
 public:
  SockAddr() = default;
  // An IP literal (no DNS) and a port; nullopt when not a literal.
  static std::optional<SockAddr> parse(const std::string& ip, std::uint16_t port = 0);
  static SockAddr from(const sockaddr* sa, socklen_t len);
  // Local address of a socket (getsockname) / peer (getpeername).
  static std::optional<SockAddr> local_of(int fd);
  static std::optional<SockAddr> peer_of(int fd);

  int family() const { return ss_.ss_family; }
  std::uint16_t port() const;
  void set_port(std::uint16_t port);
  std::string ip() const;         // "192.0.2.1" / "2001:db8::1"
  std::string to_string() const;  // "192.0.2.1:8729" / "[2001:db8::1]:8729"
  bool same_ip(const SockAddr& o) const { return ip() == o.ip(); }

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss_); }
  socklen_t len() const { return len_; }

 private:
  sockaddr_storage ss_{};
  socklen_t len_ = 0;
};

// Names are resolved by net::resolve (resolve.hpp): bounded, in a namespace.

}  // namespace vantage::net
