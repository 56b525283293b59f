#pragma once
// A small blocking RouterOS API client over loopback for lab tests: connect
// from a chosen source address, send sentences, read sentences with a
// deadline, and tell apart how a connection ended (EOF, RST, silence).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "routeros/decoder.hpp"
#include "routeros/sentence.hpp"

namespace vantage::lab::testing {

enum class ReadEnd { kSentence, kEof, kReset, kTimeout, kProtocol };

class ApiClient {
 public:
  // Connects to 127.0.0.1:port (or `dst`) from `src` (any 127/8 address works on Linux).
  bool connect(std::uint16_t port, const char* src = nullptr, const char* dst = "127.0.0.1") {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd_) return false;
    if (src) {
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      inet_pton(AF_INET, src, &sa.sin_addr);
      if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return false;
    }
    sockaddr_in da{};
    da.sin_family = AF_INET;
    da.sin_port = htons(port);
    inet_pton(AF_INET, dst, &da.sin_addr);
    return ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&da), sizeof da) == 0;
  }

  bool send_bytes(const std::vector<std::uint8_t>& b) {
    std::size_t off = 0;
    while (off < b.size()) {
      ssize_t n = ::send(fd_.get(), b.data() + off, b.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        send_errno_ = errno;  // a reset can surface here first, consuming the socket error
        return false;
      }
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool send(const routeros::Sentence& s) { return send_bytes(s.encode()); }

  // Reads the next sentence, waiting at most `ms`.
  ReadEnd read(routeros::Sentence& out, int ms = 3000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
      auto st = dec_.next(out);
      if (st == routeros::Decoder::State::kSentence) return ReadEnd::kSentence;
      if (st == routeros::Decoder::State::kError) return ReadEnd::kProtocol;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      until - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return ReadEnd::kTimeout;
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) == 0) return ReadEnd::kTimeout;
      std::uint8_t buf[16384];
      ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n == 0) return send_errno_ == ECONNRESET ? ReadEnd::kReset : ReadEnd::kEof;
      if (n < 0) return errno == ECONNRESET ? ReadEnd::kReset : ReadEnd::kEof;
      dec_.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
    }
  }

  // Reads sentences until "!done" (inclusive) or a failure.
  std::vector<routeros::Sentence> until_done(int ms = 3000) {
    std::vector<routeros::Sentence> out;
    routeros::Sentence s;
    while (read(s, ms) == ReadEnd::kSentence) {
      out.push_back(s);
      if (s.command() == "!done" || s.command() == "!fatal") break;
    }
    return out;
  }

  // Waits for the connection to end without expecting data.
  ReadEnd wait_end(int ms) {
    routeros::Sentence s;
    return read(s, ms);
  }

  std::vector<routeros::Sentence> call(const routeros::Sentence& s, int ms = 3000) {
    if (!send(s)) return {};
    return until_done(ms);
  }

  bool login(const std::string& user, const std::string& password) {
    auto r = call(routeros::Sentence{"/login", "=name=" + user, "=password=" + password});
    return r.size() == 1 && r[0].command() == "!done";
  }

  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

 private:
  UniqueFd fd_;
  int send_errno_ = 0;
  routeros::Decoder dec_{[] {
    routeros::Limits l;
    l.max_bytes_before_login = 0;
    return l;
  }()};
};

}  // namespace vantage::lab::testing
