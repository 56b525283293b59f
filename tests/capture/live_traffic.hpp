#pragma once
// Real loopback traffic for capture tests: a tiny RouterOS API responder, a
// librouteros-like login client, and TLS handshakes by openssl s_server /
// s_client (the negotiated version and cipher are what s_client reports).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/unique_fd.hpp"
#include "proc.hpp"
#include "routeros/codec.hpp"

namespace vantage::capture::testing {

inline UniqueFd listen_loopback(std::uint16_t& port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd.get(), 16);
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

inline std::uint16_t free_port() {
  std::uint16_t p = 0;
  listen_loopback(p);
  return p;
}

// Answers every sentence with !done until the client closes; serves
// connections for at most `lifetime`.
class ApiResponder {
 public:
  explicit ApiResponder(std::chrono::milliseconds lifetime = std::chrono::seconds(20)) {
    fd_ = listen_loopback(port_);
    th_ = std::thread([this, lifetime] { serve(lifetime); });
  }
  ~ApiResponder() {
    stop_ = true;
    th_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  void serve(std::chrono::milliseconds lifetime) {
    const auto end = std::chrono::steady_clock::now() + lifetime;
    while (!stop_ && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c) continue;
      routeros::Decoder dec;
      std::uint8_t buf[4096];
      for (int i = 0; i < 200 && !stop_; ++i) {
        pollfd q{c.get(), POLLIN, 0};
        if (::poll(&q, 1, 100) <= 0) continue;
        const ssize_t n = ::read(c.get(), buf, sizeof buf);
        if (n <= 0) break;
        dec.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
        routeros::Sentence s;
        while (dec.next(s) == routeros::Decoder::State::kSentence) {
          auto reply = routeros::Sentence{"!done"}.encode();
          [[maybe_unused]] auto w = ::write(c.get(), reply.data(), reply.size());
        }
      }
    }
  }
  UniqueFd fd_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread th_;
};

// Logs in with a plaintext /login =name= =password= and waits for the reply.
inline bool api_login(std::uint16_t port, const std::string& user, const std::string& password) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return false;
  auto req = routeros::Sentence{"/login", "=name=" + user, "=password=" + password}.encode();
  if (::write(fd.get(), req.data(), req.size()) != static_cast<ssize_t>(req.size())) return false;
  routeros::Decoder dec;
  std::uint8_t buf[512];
  for (int i = 0; i < 50; ++i) {
    pollfd q{fd.get(), POLLIN, 0};
    if (::poll(&q, 1, 100) <= 0) continue;
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n <= 0) return false;
    dec.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
    routeros::Sentence s;
    if (dec.next(s) == routeros::Decoder::State::kSentence) return s.command() == "!done";
  }
  return false;
}

struct Negotiated {
  std::string version;  // "TLSv1.2"
  std::string cipher;   // OpenSSL name
  std::uint16_t client_port = 0;
};

// A self-signed certificate for s_server.
inline bool make_cert(const TempDir& dir) {
  return sh("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=router.test -days 2 -keyout " +
            (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string())
             .exit == 0;
}

// One s_client handshake; `flag` is -tls1_2 or -tls1_3.
inline Negotiated tls_handshake(std::uint16_t port, const std::string& flag) {
  Negotiated n;
  auto r = sh("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " " + flag +
              " -servername router.test </dev/null");
  std::smatch m;
  static const std::regex re(R"(New, (TLSv1\.\d), Cipher is (\S+))");
  if (std::regex_search(r.out, m, re)) {
    n.version = m[1];
    n.cipher = m[2];
  }
  return n;
}

}  // namespace vantage::capture::testing
