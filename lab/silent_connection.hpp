#pragma once
// A disallowed client in "silent" mode: the connection stays open, anything
// it sends is read and discarded, nothing is ever sent, and it is closed at
// the login deadline (internal).
#include <array>
#include <memory>

#include "lab/basic_connection.hpp"

namespace vantage::lab {

class SilentConnection : public BasicConnection<SilentConnection, boost::asio::ip::tcp::socket> {
 public:
  SilentConnection(ServerHooks& hooks, std::uint64_t id, boost::asio::ip::tcp::socket s)
      : BasicConnection(hooks, id, std::move(s)) {}

  void start() override {
    close_at(Clock::now() + hooks_.model().config().limits.login_timeout);
    read();
  }

 private:
  void read() {
    auto self = shared_from_this();
    stream_.async_read_some(boost::asio::buffer(buf_),
                            [self](const boost::system::error_code& ec, std::size_t) {
                              if (ec || self->closed_) {
                                self->close();
                                return;
                              }
                              self->read();
                            });
  }

  std::array<char, 4096> buf_{};
};

}  // namespace vantage::lab
