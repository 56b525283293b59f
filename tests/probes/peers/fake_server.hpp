#pragma once
// A scripted TCP server on 127.0.0.1 for peers the lab cannot play.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/unique_fd.hpp"

namespace vantage::testing {

// A scripted TCP server on 127.0.0.1 for peers the lab cannot play (hostile
// or non-API servers). Serves connections one at a time with `handler`
// (or each on its own thread when `concurrent`, for peers that must hold
// several sessions), which gets the connected fd and a stop flag; stops
// within ~100 ms once handlers return.
class FakeServer {
 public:
  using Handler = std::function<void(int fd, const std::atomic<bool>& stop)>;
  explicit FakeServer(Handler h, bool concurrent = false)
      : handler_(std::move(h)), concurrent_(concurrent) {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd_.get(), 16) != 0)
      throw std::runtime_error("fake server: bind/listen failed");
    socklen_t len = sizeof a;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : workers_) t.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;
  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

  // Helpers for handlers.
  static bool send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads what is there within `ms` (bounded), returns bytes read.
  static std::string read_some(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return "";
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c) continue;
      ++accepted_;
      if (concurrent_ && workers_.size() < kMaxWorkers) {
        workers_.emplace_back(
            [this, fd = std::make_shared<UniqueFd>(std::move(c))] { handler_(fd->get(), stop_); });
      } else {
        handler_(c.get(), stop_);
      }
    }
  }
  static constexpr std::size_t kMaxWorkers = 64;
  Handler handler_;
  bool concurrent_ = false;
  std::vector<std::thread> workers_;
  UniqueFd fd_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace vantage::testing
