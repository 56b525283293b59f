#pragma once
// Name resolution for a vantage point. An IP literal is parsed and never
// touches DNS. A name is looked up with getaddrinfo on a thread that joined
// the source's network namespace (so the query leaves through the source's
// routes; /etc/resolv.conf and /etc/hosts are this host's), and the caller
// waits at most `bound`: getaddrinfo itself has no deadline. A lookup that
// overruns is abandoned to its thread, which ends when glibc gives up.
#include <chrono>
#include <optional>
#include <string>

#include "net/sockaddr.hpp"

namespace vantage::net {

struct Resolution {
  std::optional<SockAddr> address;  // port 0
  std::string error;                // names the host when address is empty
};

// family: AF_INET / AF_INET6 to match a source bound to an address, else
// AF_UNSPEC (the first address in getaddrinfo's RFC 6724 order). Throws
// PermissionError when the namespace cannot be joined for lack of privilege.
Resolution resolve(const std::string& host, const std::optional<std::string>& netns, int family,
                   std::chrono::milliseconds bound);

}  // namespace vantage::net
