#include "net/source.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace vantage::net {

std::string SourceSpec::describe() const {
  std::string parts;
  auto add = [&](const std::string& k, const std::optional<std::string>& v) {
    if (!v) return;
    if (!parts.empty()) parts += ", ";
    parts += k + " " + *v;
  };
  add("netns", netns);
  add("interface", interface);
  add("address", address);
  if (parts.empty()) parts = "default route";
  return name + " (" + parts + ")";
}

UniqueFd open_netns(const std::string& name_or_path) {
  const std::string path =
      name_or_path.find('/') == std::string::npos ? "/run/netns/" + name_or_path : name_or_path;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int err = errno;
    std::string hint = err == ENOENT ? " (create it with `ip netns add " + name_or_path +
                                           "`, or give the path of an existing namespace)"
                                     : "";
    throw Error("cannot open network namespace " + path + ": " + std::strerror(err) + hint);
  }
  return fd;
}

std::optional<std::string> validate_source(const SourceSpec& src) {
  std::optional<std::string> problem;
  try {
    run_in_netns(src.netns, [&] {
      if (src.interface && if_nametoindex(src.interface->c_str()) == 0) {
        problem = "interface " + *src.interface + " does not exist" +
                  (src.netns ? " in network namespace " + *src.netns : std::string()) +
                  " (list them with `ip" + (src.netns ? " -n " + *src.netns : std::string()) +
                  " link`)";
        return;
      }
      if (!src.address) return;
      auto want = SockAddr::parse(*src.address);
      if (!want) {
        problem = "address " + *src.address + " is not an IPv4 or IPv6 literal";
        return;
      }
      // The address is usable iff bind() accepts it here: that also covers
      // addresses local by route rather than by interface (all of 127/8).
      UniqueFd probe(::socket(want->family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (probe && ::bind(probe.get(), want->sa(), want->len()) == 0) return;
      const int err = errno;
      if (err != EADDRNOTAVAIL) {
        problem = "cannot bind to " + *src.address + ": " + std::strerror(err);
        return;
      }
      problem = "address " + *src.address + " is not configured" +
                (src.netns ? " in network namespace " + *src.netns : std::string(" on this host")) +
                " (add it with `ip" + (src.netns ? " -n " + *src.netns : std::string()) +
                " addr add " + *src.address + "/32 dev " + src.interface.value_or("lo") + "`)";
    });
  } catch (const PermissionError&) {
    throw;
  } catch (const Error& e) {
    problem = e.what();
  }
  return problem;
}

UniqueFd make_socket(const SourceSpec& src, int family, int type) {
  UniqueFd fd;
  run_in_netns(src.netns, [&] {
    fd.reset(::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
      int err = errno;
      if (err == EMFILE || err == ENFILE) throw SystemError("socket (file descriptor limit)", err);
      throw SystemError("socket", err);
    }
  });
  if (src.interface) {
    if (setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, src.interface->c_str(),
                   static_cast<socklen_t>(src.interface->size())) != 0) {
      int err = errno;
      if (err == EPERM) {
        throw PermissionError("binding to interface " + *src.interface +
                              " (SO_BINDTODEVICE) needs CAP_NET_RAW: run as root or "
                              "`sudo setcap cap_net_raw+eip $(command -v vantage)`");
      }
      throw SystemError("SO_BINDTODEVICE " + *src.interface, err);
    }
  }
  if (src.address) {
    auto local = SockAddr::parse(*src.address, 0);
    if (!local)
      throw Error("source " + src.name + ": address " + *src.address + " is not an IP literal");
    if (local->family() != family) {
      throw Error("source " + src.name + ": address " + *src.address +
                  " is of a different IP family than the target");
    }
    // The port is chosen at connect(), per destination, not at bind(): a
    // bound port is reserved for every destination, so a fleet run's
    // TIME_WAITs would exhaust the range (IP_BIND_ADDRESS_NO_PORT, Linux 4.2).
    if ((type & 0xf) == SOCK_STREAM) {
      const int one = 1;
      ::setsockopt(fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    }
    if (::bind(fd.get(), local->sa(), local->len()) != 0) {
      throw SystemError("source " + src.name + ": bind to " + *src.address, errno);
    }
  }
  return fd;
}

}  // namespace vantage::net
