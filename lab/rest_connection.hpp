#pragma once
// Serves HTTP (www) or HTTPS (www-ssl) with Boost.Beast, handing each request
// to handle_http (internal). Strict limits: 8 KiB of headers, 64 KiB of body,
// 100 requests per connection, and a deadline for every request.
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "lab/rest_handler.hpp"
#include "lab/server_internal.hpp"

namespace vantage::lab {

template <typename Stream>
class RestConnection : public Connection,
                       public std::enable_shared_from_this<RestConnection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::asio::ip::tcp::socket>;

  RestConnection(ServerHooks& hooks, std::uint64_t id, const Service& svc, std::string peer,
                 Stream stream)
      : hooks_(hooks),
        id_(id),
        svc_(svc),
        peer_(std::move(peer)),
        stream_(std::move(stream)),
        timer_(hooks.io()) {}

  void start() override {
    arm();
    if constexpr (kTls) {
      auto self = this->shared_from_this();
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self](const boost::system::error_code& ec) {
                                if (ec) {
                                  self->hooks_.counters().tls_failures++;
                                  self->close();
                                  return;
                                }
                                self->read();
                              });
    } else {
      read();
    }
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    timer_.cancel();
    stream_.lowest_layer().close(ec);
    hooks_.closed(id_);
  }

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void arm() {
    timer_.expires_after(hooks_.model().config().limits.login_timeout);
    auto self = this->shared_from_this();
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->close();
    });
  }

  void read() {
    namespace http = boost::beast::http;
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(64 * 1024);
    auto self = this->shared_from_this();
    http::async_read(stream_, buf_, *parser_,
                     [self](const boost::system::error_code& ec, std::size_t) {
                       if (self->closed_) return;
                       if (ec == http::error::body_limit || ec == http::error::header_limit) {
                         self->respond(413, false);
                         return;
                       }
                       if (ec) {
                         if (ec != http::error::end_of_stream)
                           self->hooks_.counters().protocol_errors++;
                         self->close();
                         return;
                       }
                       self->handle();
                     });
  }

  void handle() {
    namespace http = boost::beast::http;
    Request req = parser_->release();
    HttpRequest in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    if (auto it = req.find(http::field::authorization); it != req.end())
      in.authorization = std::string(it->value());
    in.body = std::move(req.body());
    HttpResponse out = handle_http(hooks_.model(), svc_, peer_, in);
    const bool keep = req.keep_alive() && ++requests_ < 100;
    send(out, req.version(), keep);
  }

  void respond(int status, bool keep) {
    HttpResponse out;
    out.status = status;
    out.body = "{\"error\":" + std::to_string(status) + ",\"message\":\"Payload Too Large\"}";
    send(out, 11, keep);
  }

  void send(const HttpResponse& out, unsigned version, bool keep) {
    namespace http = boost::beast::http;
    res_.emplace(static_cast<http::status>(out.status), version);
    res_->set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) res_->set(k, v);
    res_->body() = out.body;
    res_->keep_alive(keep);
    res_->prepare_payload();
    auto self = this->shared_from_this();
    http::async_write(stream_, *res_,
                      [self, keep](const boost::system::error_code& ec, std::size_t) {
                        if (ec || self->closed_ || !keep) {
                          self->finish();
                          return;
                        }
                        self->arm();
                        self->read();
                      });
  }

  void finish() {
    if (closed_) return;
    if constexpr (kTls) {
      timer_.expires_after(std::chrono::milliseconds(500));
      auto self = this->shared_from_this();
      timer_.async_wait([self](const boost::system::error_code& ec) {
        if (!ec) self->close();
      });
      stream_.async_shutdown([self](const boost::system::error_code&) { self->close(); });
    } else {
      boost::system::error_code ec;
      stream_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
      close();
    }
  }

  ServerHooks& hooks_;
  std::uint64_t id_;
  const Service& svc_;
  std::string peer_;
  Stream stream_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buf_{16 * 1024};
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<Response> res_;
  int requests_ = 0;
  bool closed_ = false;
};

}  // namespace vantage::lab
