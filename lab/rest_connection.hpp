#pragma once
// Serves HTTP (www) or HTTPS (www-ssl) with Boost.Beast, handing each request
// to handle_http (internal). Strict limits: 8 KiB of headers, 64 KiB of body,
// 100 requests per connection, and a deadline for every request.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "lab/basic_connection.hpp"
#include "lab/rest_handler.hpp"

namespace vantage::lab {

template <typename Stream>
class RestConnection : public BasicConnection<RestConnection<Stream>, Stream> {
  using Base = BasicConnection<RestConnection<Stream>, Stream>;
  using Base::closed_;
  using Base::hooks_;
  using Base::stream_;
  using typename Base::Clock;

 public:
  using Base::close;

  RestConnection(ServerHooks& hooks, std::uint64_t id, const Service& svc, std::string peer,
                 Stream stream)
      : Base(hooks, id, std::move(stream)), svc_(svc), peer_(std::move(peer)) {}

  void start() override {
    arm();
    this->handshake_then(&RestConnection::read);
  }

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void arm() { this->close_at(Clock::now() + hooks_.model().config().limits.login_timeout); }

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
    this->shut_down();
  }

  const Service& svc_;
  std::string peer_;
  boost::beast::flat_buffer buf_{16 * 1024};
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<Response> res_;
  int requests_ = 0;
};

}  // namespace vantage::lab
