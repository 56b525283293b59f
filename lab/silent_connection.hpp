#pragma once
// A disallowed client in "silent" mode: the connection stays open, anything
// it sends is read and discarded, nothing is ever sent, and it is closed at
// the login deadline (internal).
#include <array>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "lab/server_internal.hpp"

namespace vantage::lab {

class SilentConnection : public Connection, public std::enable_shared_from_this<SilentConnection> {
 public:
  SilentConnection(ServerHooks& hooks, std::uint64_t id, boost::asio::ip::tcp::socket s)
      : hooks_(hooks), id_(id), socket_(std::move(s)), timer_(hooks.io()) {}

  void start() override {
    auto self = shared_from_this();
    timer_.expires_after(hooks_.model().config().limits.login_timeout);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->close();
    });
    read();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    timer_.cancel();
    socket_.close(ec);
    hooks_.closed(id_);
  }

 private:
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(boost::asio::buffer(buf_),
                            [self](const boost::system::error_code& ec, std::size_t) {
                              if (ec || self->closed_) {
                                self->close();
                                return;
                              }
                              self->read();
                            });
  }

  ServerHooks& hooks_;
  std::uint64_t id_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::array<char, 4096> buf_{};
  bool closed_ = false;
};

}  // namespace vantage::lab
