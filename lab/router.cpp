#include "lab/router.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "lab/api_connection.hpp"
#include "lab/model.hpp"
#include "lab/nflog.hpp"
#include "lab/rest_connection.hpp"
#include "lab/self_signed.hpp"
#include "lab/server_internal.hpp"
#include "lab/silent_connection.hpp"
#include "lab/tls_context.hpp"

namespace vantage::lab {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string peer_address(const tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "0.0.0.0";
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

namespace {

struct Listener {
  std::string service;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> retry;  // after EMFILE and friends
};

}  // namespace

struct Router::Impl : ServerHooks {
  Impl(LabConfig cfg, KeyType key)
      : model_(std::move(cfg)),
        key_(key),
        own_io_(std::make_unique<asio::io_context>()),
        io_(*own_io_) {}
  Impl(LabConfig cfg, asio::io_context& io, const LabCa& ca)
      : model_(std::move(cfg)), shared_ca_(&ca), io_(io) {}

  asio::io_context& io() override { return io_; }
  RouterModel& model() override { return model_; }
  Counters& counters() override { return counters_; }
  void closed(std::uint64_t id) override {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    if (--per_service_[it->second.service] < 0) per_service_[it->second.service] = 0;
    conns_.erase(it);
    counters_.active = conns_.size();
  }

  void start();
  void stop();
  void bind(const Service& svc);
  void accept(Listener& l);
  void on_accept(const Service& svc, tcp::socket sock);
  template <typename C, typename... Args>
  void launch(const std::string& service, Args&&... args) {
    const std::uint64_t id = next_id_++;
    auto c = std::make_shared<C>(*this, id, std::forward<Args>(args)...);
    conns_[id] = Entry{service, c};
    per_service_[service]++;
    counters_.active = conns_.size();
    c->start();
  }

  // A connection of type C over the socket, or over TLS on it for a TLS service.
  template <template <typename> class C>
  void serve(const Service& svc, const std::string& peer, tcp::socket sock) {
    using Tls = asio::ssl::stream<tcp::socket>;
    if (svc.tls())
      launch<C<Tls>>(svc.name, svc, peer, Tls(std::move(sock), tls_.at(svc.name)));
    else
      launch<C<tcp::socket>>(svc.name, svc, peer, std::move(sock));
  }

  struct Entry {
    std::string service;
    std::weak_ptr<Connection> conn;
  };

  // Declaration order matters: own_io_ is destroyed first, and the handlers
  // it still holds reference the model and the TLS contexts declared before
  // it. (A fleet's shared context is stopped and destroyed before its routers.)
  RouterModel model_;
  Counters counters_;
  KeyType key_ = KeyType::kRsa;
  const LabCa* shared_ca_ = nullptr;  // a fleet's, else each start() makes a CA
  std::optional<GeneratedCert> generated_;
  std::unique_ptr<NflogReader> nflog_;  // the firewall's log, when the config names a group
  std::map<std::string, asio::ssl::context> tls_;
  std::unique_ptr<asio::io_context> own_io_;  // null on a fleet's shared context
  asio::io_context& io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<Listener> listeners_;
  std::map<std::string, std::uint16_t> ports_;
  // I/O thread only:
  std::map<std::uint64_t, Entry> conns_;
  std::map<std::string, int> per_service_;
  std::uint64_t next_id_ = 1;

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool io_done_ = false;
  bool running_ = false;
};

void Router::Impl::bind(const Service& svc) {
  std::uint16_t port = svc.port;
  for (const auto& addr_text : model_.config().listen) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(addr_text, ec);
    if (ec) throw Error("lab: listen address \"" + addr_text + "\" is not an IP address");
    tcp::endpoint ep(addr, port);
    Listener l;
    l.service = svc.name;
    l.acceptor = std::make_unique<tcp::acceptor>(io_);
    l.retry = std::make_unique<asio::steady_timer>(io_);
    l.acceptor->open(ep.protocol(), ec);
    if (!ec) l.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && addr.is_v6()) l.acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) l.acceptor->bind(ep, ec);
    if (!ec) l.acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw SystemError(
          "lab: " + svc.name + " cannot listen on " + addr_text + " port " + std::to_string(port),
          ec.value());
    }
    port = l.acceptor->local_endpoint().port();  // later addresses share an ephemeral port
    listeners_.push_back(std::move(l));
  }
  ports_[svc.name] = port;
  model_.set_bound_port(svc.name, port);
}

void Router::Impl::start() {
  const auto& cfg = model_.config();
  if (own_io_) io_.restart();  // a stopped router can be started again
  listeners_.clear();
  tls_.clear();
  bool need_cert = false;
  for (const auto& [name, svc] : cfg.services)
    need_cert |= !svc.disabled && svc.certificate.kind == Certificate::Kind::kSelfSigned;
  if (need_cert) {
    std::vector<std::string> names = {cfg.identity, "localhost"};
    for (const auto& a : cfg.listen) names.push_back(a);
    generated_ = shared_ca_ ? shared_ca_->issue(names) : generate_self_signed(names, 365, key_);
  }
  for (const auto& [name, svc] : cfg.services) {
    if (svc.disabled) continue;
    if (svc.tls()) {
      auto& ctx = tls_.emplace(name, make_server_context(svc, generated_ ? &*generated_ : nullptr))
                      .first->second;
      if (auto f = served_certificate(ctx))
        model_.set_served_certificate(
            name, {f->common_name, f->fingerprint, model_.format_time(f->not_after), f->key_type});
    }
    bind(svc);
  }
  if (cfg.nflog_group)
    nflog_ = std::make_unique<NflogReader>(
        cfg.nflog_group, [this](const std::string& prefix, const std::string& text) {
          model_.log_firewall(prefix, text);
        });
  running_ = true;
  io_done_ = false;
  if (!own_io_) {  // the fleet's threads run the context; accept there
    asio::post(io_, [this] {
      for (auto& l : listeners_) accept(l);
    });
    return;
  }
  for (auto& l : listeners_) accept(l);
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    io_.run();
    std::lock_guard lock(mu_);
    io_done_ = true;
    cv_.notify_all();
  });
}

void Router::Impl::accept(Listener& l) {
  l.acceptor->async_accept([this, &l](const boost::system::error_code& ec, tcp::socket sock) {
    if (ec == asio::error::operation_aborted || !l.acceptor->is_open()) return;
    if (ec) {
      // Out of fds or similar: back off instead of spinning.
      l.retry->expires_after(std::chrono::milliseconds(100));
      l.retry->async_wait([this, &l](const boost::system::error_code& e) {
        if (!e) accept(l);
      });
      return;
    }
    counters_.accepted++;
    on_accept(*model_.config().service(l.service), std::move(sock));
    accept(l);
  });
}

void Router::Impl::on_accept(const Service& svc, tcp::socket sock) {
  const auto& limits = model_.config().limits;
  boost::system::error_code ec;
  if (conns_.size() >= limits.max_connections) {
    counters_.refused_capacity++;
    sock.set_option(asio::socket_base::linger(true, 0), ec);
    sock.close(ec);
    return;
  }
  const std::string peer = peer_address(sock);
  if (!svc.allows(peer)) {
    counters_.refused_address++;
    switch (svc.disallowed) {
      case Disallowed::kReset:
        sock.set_option(asio::socket_base::linger(true, 0), ec);
        sock.close(ec);
        return;
      case Disallowed::kClose:
        sock.shutdown(tcp::socket::shutdown_both, ec);
        sock.close(ec);
        return;
      case Disallowed::kSilent: launch<SilentConnection>(svc.name, std::move(sock)); return;
    }
  }
  if (svc.max_sessions > 0 && per_service_[svc.name] >= svc.max_sessions) {
    counters_.refused_sessions++;
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
    return;
  }
  const ServiceKind* kind = service_kind(svc.name);
  if (!kind) return;
  switch (kind->protocol) {
    case ServiceKind::Protocol::kApi: serve<ApiConnection>(svc, peer, std::move(sock)); return;
    case ServiceKind::Protocol::kHttp: serve<RestConnection>(svc, peer, std::move(sock)); return;
  }
}

void Router::Impl::stop() {
  if (!running_) return;
  asio::post(io_, [this] {
    boost::system::error_code ec;
    for (auto& l : listeners_) {
      l.acceptor->close(ec);
      l.retry->cancel();
    }
    std::vector<std::shared_ptr<Connection>> live;
    for (auto& [id, e] : conns_)
      if (auto c = e.conn.lock()) live.push_back(c);
    for (auto& c : live) c->close();
    work_.reset();  // run() returns once the aborted operations have completed
    if (!own_io_) {
      std::lock_guard lock(mu_);
      io_done_ = true;  // closed; the fleet's context runs on for the others
      cv_.notify_all();
    }
  });
  {
    std::unique_lock lock(mu_);
    const bool done = cv_.wait_for(lock, std::chrono::seconds(2), [this] { return io_done_; });
    if (!done && own_io_) io_.stop();
  }
  if (thread_.joinable()) thread_.join();
  nflog_.reset();
  running_ = false;
}

Router::Router(LabConfig cfg, KeyType key) : impl_(std::make_unique<Impl>(std::move(cfg), key)) {}
Router::Router(LabConfig cfg, asio::io_context& io, const LabCa& ca)
    : impl_(std::make_unique<Impl>(std::move(cfg), io, ca)) {}
Router::~Router() {
  stop();
}
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&& o) noexcept {
  if (this != &o) {
    stop();
    impl_ = std::move(o.impl_);
  }
  return *this;
}

void Router::start() {
  if (impl_->running_) return;
  impl_->start();
}
void Router::stop() {
  if (impl_) impl_->stop();
}
bool Router::running() const {
  return impl_ && impl_->running_;
}

std::uint16_t Router::port(std::string_view service) const {
  auto it = impl_->ports_.find(std::string(service));
  return it == impl_->ports_.end() ? 0 : it->second;
}

std::string Router::ca_pem() const {
  return impl_->generated_ ? impl_->generated_->ca_pem : "";
}
std::vector<LogEntry> Router::log() const {
  return impl_->model_.log().entries();
}
std::vector<LogEntry> Router::log_after(std::uint64_t id) const {
  return impl_->model_.log().entries_after(id);
}
const LabConfig& Router::config() const {
  return impl_->model_.config();
}
std::string Router::identity() const {
  return impl_->model_.identity();
}

RouterStats Router::stats() const {
  const auto& c = impl_->counters_;
  RouterStats s;
  s.accepted = c.accepted;
  s.refused_address = c.refused_address;
  s.refused_sessions = c.refused_sessions;
  s.refused_capacity = c.refused_capacity;
  s.protocol_errors = c.protocol_errors;
  s.tls_failures = c.tls_failures;
  s.active = c.active;
  return s;
}

}  // namespace vantage::lab
