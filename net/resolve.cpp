#include "net/resolve.hpp"

#include <netdb.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "net/source.hpp"

namespace vantage::net {

namespace {

// Shared by the caller and the lookup thread: whichever finishes last frees it.
struct Lookup {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int setns_errno = 0;
  int gai = 0;
  int gai_errno = 0;
  std::optional<SockAddr> address;
};

void lookup(const std::shared_ptr<Lookup>& l, UniqueFd ns, std::string host, int family) {
  int setns_err = 0, gai = 0, gai_err = 0;
  std::optional<SockAddr> found;
  if (ns && ::setns(ns.get(), CLONE_NEWNET) != 0) setns_err = errno;
  ns.reset();
  if (setns_err == 0) {
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    gai = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
    gai_err = errno;
    if (gai == 0 && res != nullptr) {
      found = SockAddr::from(res->ai_addr, res->ai_addrlen);
      found->set_port(0);
    }
    if (res) ::freeaddrinfo(res);
  }
  std::lock_guard lock(l->mu);
  l->setns_errno = setns_err;
  l->gai = gai;
  l->gai_errno = gai_err;
  l->address = found;
  l->done = true;
  l->cv.notify_all();
}

}  // namespace

Resolution resolve(const std::string& host, const std::optional<std::string>& netns, int family,
                   std::chrono::milliseconds bound) {
  Resolution r;
  if (auto literal = SockAddr::parse(host)) {
    r.address = literal;
    return r;
  }
  const std::string where = netns ? " in network namespace " + *netns : std::string();
  UniqueFd ns;
  if (netns) {
    try {
      ns = open_netns(*netns);
    } catch (const Error& e) {
      r.error = "cannot resolve " + host + ": " + e.what();
      return r;
    }
  }
  auto l = std::make_shared<Lookup>();
  // Detached: the caller stops waiting at the bound, the lookup may not.
  std::thread(lookup, l, std::move(ns), host, family).detach();
  std::unique_lock lock(l->mu);
  if (!l->cv.wait_for(lock, bound, [&] { return l->done; })) {
    r.error = "cannot resolve " + host + where + ": no answer within " +
              std::to_string(bound.count()) + " ms";
    return r;
  }
  if (l->setns_errno == EPERM) {
    throw PermissionError("resolving " + host + where +
                          " needs CAP_SYS_ADMIN: run vantage as root, or with "
                          "`sudo setcap cap_sys_admin,cap_net_raw+eip $(command -v vantage)`");
  }
  if (l->setns_errno != 0) {
    r.error = "cannot resolve " + host + ": setns(" + netns.value_or("") +
              "): " + std::strerror(l->setns_errno);
  } else if (l->gai != 0) {
    r.error = "cannot resolve " + host + where + ": " +
              (l->gai == EAI_SYSTEM ? std::strerror(l->gai_errno) : ::gai_strerror(l->gai));
  } else if (!l->address) {
    r.error = "cannot resolve " + host + where + ": no address";
  } else {
    r.address = l->address;
  }
  return r;
}

}  // namespace vantage::net
