#pragma once
// Drives an ApiSession over a socket or a TLS stream (internal).
//
// Flow control: one read outstanding at most, and no new read while more
// than kHighWater reply bytes wait to be written, so a client that sends
// fast and reads slowly holds a bounded buffer. Deadlines: the login
// deadline until /login succeeds, the idle deadline (reset by every read or
// completed write) always.
#include <array>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "lab/api_session.hpp"
#include "lab/basic_connection.hpp"

namespace vantage::lab {

template <typename Stream>
class ApiConnection : public BasicConnection<ApiConnection<Stream>, Stream> {
  using Base = BasicConnection<ApiConnection<Stream>, Stream>;
  using Base::closed_;
  using Base::hooks_;
  using Base::stream_;
  using Base::timer_;
  using typename Base::Clock;
  using TimePoint = typename Clock::time_point;  // clang 14 wants typename here

 public:
  using Base::close;
  static constexpr std::size_t kHighWater = 256 * 1024;

  ApiConnection(ServerHooks& hooks, std::uint64_t id, const Service& svc, std::string peer,
                Stream stream)
      : Base(hooks, id, std::move(stream)),
        delay_(svc.accept_delay),
        session_(hooks.model(), svc.name, std::move(peer)) {
    const auto& l = hooks.model().config().limits;
    login_by_ = Clock::now() + l.login_timeout;
    idle_ = l.idle_timeout;
  }

  void start() override {
    if (delay_.count() <= 0) {
      serve();
      return;
    }
    // accept-delay-ms: hold the accepted connection silently first. close()
    // cancels the timer, so a stopping router does not wait for it.
    auto self = this->shared_from_this();
    timer_.expires_after(delay_);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec && !self->closed_) self->serve();
    });
  }

  void serve() {
    touch();
    this->handshake_then(&ApiConnection::begin);
  }

 private:
  void begin() {
    std::weak_ptr<ApiConnection> weak = this->shared_from_this();
    auto& io = hooks_.io();
    session_.set_wakeup([weak, &io] {
      boost::asio::post(io, [weak] {
        if (auto self = weak.lock()) self->pump();
      });
    });
    pump();
  }

  void pump() {
    if (closed_ || finishing_) return;
    if (!session_.take_pushed(out_)) {
      close();  // a /log/listen client that does not read
      return;
    }
    while (!closing_ && out_.size() < kHighWater) {
      auto st = session_.step(out_);
      if (st == ApiSession::Step::kNeedMore) {
        if (!reading_) read();
        break;
      }
      if (st == ApiSession::Step::kClose) {
        closing_ = true;
        if (out_.empty()) hooks_.counters().protocol_errors++;
      }
    }
    flush();
  }

  void read() {
    reading_ = true;
    auto self = this->shared_from_this();
    stream_.async_read_some(
        boost::asio::buffer(rbuf_), [self](const boost::system::error_code& ec, std::size_t n) {
          self->reading_ = false;
          if (ec || self->closed_) {
            self->close();
            return;
          }
          self->session_.feed(std::span<const std::uint8_t>(self->rbuf_.data(), n));
          self->touch();
          self->pump();
        });
  }

  void flush() {
    if (closed_ || writing_) return;
    if (out_.empty()) {
      if (closing_) finish();
      return;
    }
    wbuf_.swap(out_);
    out_.clear();
    writing_ = true;
    auto self = this->shared_from_this();
    boost::asio::async_write(stream_, boost::asio::buffer(wbuf_),
                             [self](const boost::system::error_code& ec, std::size_t) {
                               self->writing_ = false;
                               self->wbuf_.clear();
                               if (ec || self->closed_) {
                                 self->close();
                                 return;
                               }
                               self->touch();
                               if (self->closing_) {
                                 self->flush();
                               } else {
                                 self->pump();
                               }
                             });
  }

  // Orderly end after the last reply (e.g. !fatal): TLS close_notify, then close.
  void finish() {
    if (finishing_) return;
    finishing_ = true;
    this->shut_down();
  }

  void touch() {
    if (closed_ || finishing_) return;
    auto at = Clock::now() + idle_;
    if (!session_.logged_in() && login_by_ < at) at = login_by_;
    arm(at);
  }

  void arm(TimePoint at) { this->close_at(at); }

  std::chrono::milliseconds delay_{0};
  ApiSession session_;
  TimePoint login_by_;
  std::chrono::milliseconds idle_;
  std::array<std::uint8_t, 16 * 1024> rbuf_{};
  std::vector<std::uint8_t> out_, wbuf_;
  bool reading_ = false, writing_ = false, closing_ = false, finishing_ = false;
};

}  // namespace vantage::lab
