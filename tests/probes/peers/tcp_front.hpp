#pragma once
// A TCP front on loopback in front of a real TLS server: what a session
// limit (RouterOS max-sessions), a connection-limit firewall rule with
// tcp-reset, or a flaky path does to a scan, on real sockets. Each accepted
// connection's first TLS record (the ClientHello) is read and shown to a
// decision function, which forwards the connection to the backend or resets,
// closes, answers garbage or holds it silently.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

namespace vantage::testing {

// What a ClientHello offers, read the way a middlebox would.
struct HelloView {
  bool tls = false;
  std::uint16_t client_version = 0;  // 0x0303 for TLS 1.2 and TLS 1.3 hellos
  std::vector<std::uint16_t> suites;
  bool offers_tls13_suite() const {
    for (auto s : suites)
      if ((s & 0xff00) == 0x1300) return true;
    return false;
  }
  bool offers_legacy_suite() const {
    for (auto s : suites)
      if ((s & 0xff00) != 0x1300 && s != 0x00ff) return true;
    return false;
  }
  // A hand-built TLS 1.2 hello (no TLS 1.3 suite).
  bool hand_built_tls12() const { return tls && client_version == 0x0303 && !offers_tls13_suite(); }
  // An OpenSSL client hello: TLS 1.3 and TLS 1.2 suites together.
  bool openssl_client() const { return offers_tls13_suite() && offers_legacy_suite(); }
};

inline HelloView view_hello(std::span<const std::uint8_t> b) {
  HelloView v;
  // record(5) | type(1) len(3) | version(2) random(32) | sid_len(1) sid | suites_len(2) suites
  if (b.size() < 44 || b[0] != 22 || b[5] != 1) return v;
  v.client_version = static_cast<std::uint16_t>(b[9] << 8 | b[10]);
  std::size_t p = 43;
  p += 1 + b[p];
  if (p + 2 > b.size()) return v;
  std::size_t n = static_cast<std::size_t>(b[p] << 8 | b[p + 1]);
  p += 2;
  if (p + n > b.size()) return v;
  for (std::size_t i = 0; i + 1 < n; i += 2)
    v.suites.push_back(static_cast<std::uint16_t>(b[p + i] << 8 | b[p + i + 1]));
  v.tls = true;
  return v;
}

class TcpFront {
 public:
  enum class Action { kForward, kReset, kClose, kGarbage, kSilent };
  struct Conn {
    std::size_t index = 0;   // 0-based, in accept order
    HelloView hello;         //
    std::size_t active = 0;  // sessions being forwarded right now
  };
  using Decide = std::function<Action(const Conn&)>;

  TcpFront(std::uint16_t backend_port, Decide decide)
      : backend_(backend_port), decide_(std::move(decide)) {
    lfd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(0);
    if (::bind(lfd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(lfd_, 64) != 0)
      throw std::runtime_error("front: bind/listen");
    socklen_t len = sizeof a;
    ::getsockname(lfd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~TcpFront() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    accept_thread_.join();
    std::vector<std::thread> hs;
    {
      std::lock_guard l(mu_);
      hs.swap(handlers_);
    }
    for (auto& t : hs) t.join();
    ::close(lfd_);
  }
  TcpFront(const TcpFront&) = delete;
  TcpFront& operator=(const TcpFront&) = delete;
  std::uint16_t port() const { return port_; }
  std::size_t connections() const {
    std::lock_guard l(mu_);
    return count_;
  }

 private:
  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
  }

  void accept_loop() {
    for (;;) {
      int c = ::accept4(lfd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0 || stop_) {
        if (c >= 0) ::close(c);
        return;
      }
      std::lock_guard l(mu_);
      handlers_.emplace_back([this, c] { handle(c); });
    }
  }

  // Waits up to 100 ms for `events` on fd; false when stopping.
  bool wait(int fd, short events, short& revents) {
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, 100);
    revents = rc > 0 ? p.revents : 0;
    return !stop_;
  }

  // The first record, up to 2 s: a whole ClientHello on loopback.
  std::vector<std::uint8_t> read_hello(int c) {
    std::vector<std::uint8_t> b;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < until && !stop_) {
      if (b.size() >= 5 && b.size() >= 5u + (b[3] << 8 | b[4])) break;
      short rev = 0;
      if (!wait(c, POLLIN, rev)) break;
      if (!rev) continue;
      std::uint8_t chunk[4096];
      ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      b.insert(b.end(), chunk, chunk + n);
    }
    return b;
  }

  void handle(int c) {
    std::vector<std::uint8_t> hello = read_hello(c);
    Action act;
    {
      std::lock_guard l(mu_);
      Conn info{count_++, view_hello(hello), active_};
      act = decide_(info);
      if (act == Action::kForward) ++active_;
    }
    switch (act) {
      case Action::kForward:
        forward(c, hello);
        {
          std::lock_guard l(mu_);
          --active_;
        }
        break;
      case Action::kReset: {
        linger lg{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        break;
      }
      case Action::kClose: break;
      case Action::kGarbage: {
        const char resp[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
        (void)::send(c, resp, sizeof resp - 1, MSG_NOSIGNAL);
        break;
      }
      case Action::kSilent:
        // Hold the connection, never answer, until the client leaves.
        for (;;) {
          short rev = 0;
          if (!wait(c, POLLIN, rev)) break;
          if (!rev) continue;
          std::uint8_t chunk[4096];
          if (::recv(c, chunk, sizeof chunk, 0) <= 0) break;
        }
        break;
    }
    ::close(c);
  }

  void forward(int c, const std::vector<std::uint8_t>& first) {
    int b = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(backend_);
    if (::connect(b, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::send(b, first.data(), first.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(first.size())) {
      ::close(b);
      return;
    }
    // Pump both ways until either side ends; bounded by the test's life.
    pollfd p[2] = {{c, POLLIN, 0}, {b, POLLIN, 0}};
    while (!stop_) {
      int rc = ::poll(p, 2, 100);
      if (rc <= 0) continue;
      bool done = false;
      for (int i = 0; i < 2 && !done; ++i) {
        if (!p[i].revents) continue;
        std::uint8_t chunk[16384];
        ssize_t n = ::recv(p[i].fd, chunk, sizeof chunk, 0);
        if (n <= 0 || ::send(p[1 - i].fd, chunk, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
          done = true;
      }
      if (done) break;
    }
    ::close(b);
  }

  std::uint16_t backend_;
  Decide decide_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::size_t count_ = 0;
  std::size_t active_ = 0;
  std::thread accept_thread_;
  std::vector<std::thread> handlers_;
};

}  // namespace vantage::testing
