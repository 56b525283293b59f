#pragma once
// A scripted RouterOS API peer for answers the lab does not give (a write
// refused for another reason than permissions, a !fatal, a router that echoes
// secrets back, a slow one): decodes each sentence the probe sends and
// answers with what `script` returns; an empty answer is silence. A reply
// that ends in !fatal closes the connection, as RouterOS does. Pass
// `concurrent` to the FakeServer when the probe holds several sessions.
#include <functional>
#include <string>
#include <vector>

#include "routeros/decoder.hpp"
#include "routeros/sentence.hpp"
#include "tests/probes/peers/fake_server.hpp"

namespace vantage::testing {

// conn: 1-based connection number; returns the reply sentences.
using ApiScript =
    std::function<std::vector<routeros::Sentence>(int conn, const routeros::Sentence& request)>;

inline FakeServer::Handler api_peer(ApiScript script) {
  auto conns = std::make_shared<std::atomic<int>>(0);
  return [script, conns](int fd, const std::atomic<bool>& stop) {
    const int conn = ++*conns;
    routeros::Decoder dec;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!stop && std::chrono::steady_clock::now() < end) {
      routeros::Sentence s;
      if (dec.next(s) == routeros::Decoder::State::kSentence) {
        bool fatal = false;
        std::string out;
        for (const auto& r : script(conn, s)) {
          auto b = r.encode();
          out.append(b.begin(), b.end());
          fatal |= r.command() == "!fatal";
        }
        if (!out.empty() && !FakeServer::send_all(fd, out)) return;
        if (fatal) return;
        continue;
      }
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      dec.feed(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(buf),
                                             static_cast<std::size_t>(n)));
    }
  };
}

// Answers like a RouterOS 7 router where `user` logs in with any password and
// may read; `on_set` answers /system/identity/set.
inline ApiScript logged_in_router(std::function<std::vector<routeros::Sentence>()> on_set) {
  return [on_set](int, const routeros::Sentence& s) -> std::vector<routeros::Sentence> {
    using routeros::Sentence;
    const std::string& c = s.command();
    if (c == "/login") {
      if (s.attr("name") == "vantage-probe")
        return {Sentence{"!trap", "=message=invalid user name or password (6)"}, Sentence{"!done"}};
      return {Sentence{"!done"}};
    }
    if (c == "/system/identity/print") return {Sentence{"!re", "=name=rtr"}, Sentence{"!done"}};
    if (c == "/system/identity/set") return on_set();
    return {Sentence{"!trap", "=message=no such command"}, Sentence{"!done"}};
  };
}

}  // namespace vantage::testing
