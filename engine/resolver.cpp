#include "engine/resolver.hpp"

#include <sys/socket.h>

#include <algorithm>

namespace vantage::engine {

net::Resolution Resolver::get(const results::Target& target, const net::SourceSpec* src,
                              std::chrono::milliseconds timeout) {
  int family = AF_UNSPEC;
  if (src && src->address) {
    if (auto a = net::SockAddr::parse(*src->address)) family = a->family();
  }
  const std::optional<std::string> netns = src ? src->netns : std::nullopt;
  std::shared_ptr<Entry> e;
  {
    std::lock_guard lock(mu_);
    auto& slot = cache_[{target.host, netns.value_or(""), family}];
    if (!slot) slot = std::make_shared<Entry>();
    e = slot;
  }
  std::call_once(e->once, [&] {
    e->result = net::resolve(target.host, netns, family,
                             std::min<std::chrono::milliseconds>(std::chrono::seconds(5), timeout));
  });
  return e->result;
}

}  // namespace vantage::engine
