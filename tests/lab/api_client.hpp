#pragma once
// A RouterOS API client fixture for lab tests: a loopback (or namespace)
// connection from a chosen source address, spoken through routeros::Channel,
// with results shaped for assertions.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "net/stream.hpp"
#include "routeros/channel.hpp"

namespace vantage::lab::testing {

enum class ReadEnd { kSentence, kEof, kReset, kTimeout, kProtocol };

class ApiClient {
 public:
  // Connects to 127.0.0.1:port (or `dst`) from `src` (any 127/8 address works on Linux).
  bool connect(std::uint16_t port, const char* src = nullptr, const char* dst = "127.0.0.1") {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    if (src) {
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      inet_pton(AF_INET, src, &sa.sin_addr);
      if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return false;
    }
    sockaddr_in da{};
    da.sin_family = AF_INET;
    da.sin_port = htons(port);
    inet_pton(AF_INET, dst, &da.sin_addr);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&da), sizeof da) != 0) return false;
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
    stream_ = std::make_unique<net::PlainStream>(std::move(fd));
    channel_ = std::make_unique<routeros::Channel>(*stream_, kLimits);
    return true;
  }

  bool send_bytes(const std::vector<std::uint8_t>& b) {
    return sent(stream_->write_all(b, soon()));
  }
  bool send(const routeros::Sentence& s) {
    net::IoResult io;
    channel_->send(s, soon(), io);
    return sent(io);
  }

  // Reads the next sentence, waiting at most `ms`.
  ReadEnd read(routeros::Sentence& out, int ms = 3000) {
    routeros::Channel::End end;
    std::string detail;
    if (channel_->next(out, Deadline::in(std::chrono::milliseconds(ms)), end, detail))
      return ReadEnd::kSentence;
    switch (end) {
      case routeros::Channel::End::kReset: return ReadEnd::kReset;
      case routeros::Channel::End::kTimeout: return ReadEnd::kTimeout;
      case routeros::Channel::End::kNotApi:
      case routeros::Channel::End::kProtocol: return ReadEnd::kProtocol;
      default:  // a reset a send consumed first reads as a close afterwards
        return reset_on_send_ ? ReadEnd::kReset : ReadEnd::kEof;
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

  int fd() const { return stream_ ? stream_->fd() : -1; }
  void close() {
    channel_.reset();
    stream_.reset();
  }

 private:
  static constexpr routeros::Limits kLimits{.max_bytes_before_login = 0};
  static Deadline soon() { return Deadline::in(std::chrono::seconds(3)); }
  bool sent(const net::IoResult& io) {
    if (!io.ok()) reset_on_send_ = io.err == ECONNRESET;
    return io.ok();
  }

  std::unique_ptr<net::PlainStream> stream_;
  std::unique_ptr<routeros::Channel> channel_;
  bool reset_on_send_ = false;
};

}  // namespace vantage::lab::testing
