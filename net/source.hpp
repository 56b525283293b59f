#pragma once
// Vantage points: where a probe's connection comes from. A source is any
// combination of a local address (bind), an interface (SO_BINDTODEVICE) and
// a network namespace (the socket is created inside it by that namespace's
// thread; a socket keeps its namespace for life).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "net/sockaddr.hpp"

namespace vantage::net {

struct SourceSpec {
  std::string name;
  std::optional<std::string> address;    // IPv4/IPv6 literal to bind
  std::optional<std::string> interface;  // SO_BINDTODEVICE
  std::optional<std::string> netns;      // name under /run/netns, or an absolute path

  std::string describe() const;  // "mgmt (netns mgmt, address 192.0.2.10)"
};

// Opens /run/netns/NAME (or PATH). Throws vantage::Error with a fix hint.
UniqueFd open_netns(const std::string& name_or_path);

// Runs fn() on the namespace's own long-lived thread (netns_runner.cpp), which
// joined `netns` once; inline when netns is empty. Blocks until fn returns;
// its exceptions propagate. Fails with PermissionError without CAP_SYS_ADMIN.
void run_in_netns(const std::optional<std::string>& netns, const std::function<void()>& fn);

// Checks that the namespace opens, the interface exists there and the address
// is configured there. Returns a human problem description, or nullopt.
std::optional<std::string> validate_source(const SourceSpec& src);

// A socket of `family`/`type` created in the source's namespace, bound to its
// device and address (port 0). Throws vantage::Error on failure.
UniqueFd make_socket(const SourceSpec& src, int family, int type);

}  // namespace vantage::net
