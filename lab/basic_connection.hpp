#pragma once
// What every served connection shares (internal): its id and stream, one
// timer whose expiry closes it, the server side of the TLS handshake, an
// orderly end, and an idempotent close that tells the server.
//
//   class FooConnection : public BasicConnection<FooConnection, Stream> { ... };
//
// Derived gets shared_from_this() as std::shared_ptr<Derived>.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "lab/server_internal.hpp"

namespace vantage::lab {

template <typename Derived, typename Stream>
class BasicConnection : public Connection, public std::enable_shared_from_this<Derived> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::asio::ip::tcp::socket>;

  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    timer_.cancel();
    stream_.lowest_layer().close(ec);
    hooks_.closed(id_);
  }

 protected:
  using Clock = std::chrono::steady_clock;

  BasicConnection(ServerHooks& hooks, std::uint64_t id, Stream stream)
      : hooks_(hooks), id_(id), stream_(std::move(stream)), timer_(hooks.io()) {}

  // Closes the connection at `at` unless the timer is re-armed or cancelled first.
  void close_at(Clock::time_point at) {
    timer_.expires_at(at);
    timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->close();  // cancelled (re-armed) waits do nothing
    });
  }

  // The server side of the TLS handshake, then `next`; a failed handshake
  // counts and closes. A plain stream goes to `next` at once.
  void handshake_then(void (Derived::*next)()) {
    if constexpr (kTls) {
      stream_.async_handshake(
          boost::asio::ssl::stream_base::server,
          [self = this->shared_from_this(), next](const boost::system::error_code& ec) {
            if (ec) {
              static_cast<BasicConnection&>(*self).hooks_.counters().tls_failures++;
              self->close();
              return;
            }
            ((*self).*next)();
          });
    } else {
      (static_cast<Derived&>(*this).*next)();
    }
  }

  // Orderly end: TLS close_notify (given 500 ms) or a FIN, then close.
  void shut_down() {
    if constexpr (kTls) {
      close_at(Clock::now() + std::chrono::milliseconds(500));
      stream_.async_shutdown(
          [self = this->shared_from_this()](const boost::system::error_code&) { self->close(); });
    } else {
      boost::system::error_code ec;
      stream_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
      close();
    }
  }

  ServerHooks& hooks_;
  std::uint64_t id_;
  Stream stream_;
  boost::asio::steady_timer timer_;
  bool closed_ = false;
};

}  // namespace vantage::lab
