#pragma once
// The emulated RouterOS router: serves the configured services (api,
// api-ssl, and later www/www-ssl) on every listen address, in-process.
//
//   vantage::lab::Router r(vantage::lab::load_config("lab.json"));
//   r.start();                       // binds; throws vantage::Error
//   auto port = r.port("api-ssl");   // the real port (config port 0 = ephemeral)
//   ... r.log() ...                  // login successes and failures
//   r.stop();                        // or let the destructor do it
//
// One I/O thread serves every session (Boost.Asio); connections are capped
// (lab.max-connections) and every session has login and idle deadlines.
// Many routers in one process share a pool of I/O threads instead: see
// lab/fleet.hpp, the only owner of such routers (it stops the pool before
// the routers its handlers reference are destroyed).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lab/config.hpp"
#include "lab/log.hpp"
#include "lab/self_signed.hpp"

namespace boost::asio {
class io_context;
}

namespace vantage::lab {

class LabCa;
class Fleet;

struct RouterStats {
  std::uint64_t accepted = 0;          // TCP connections accepted
  std::uint64_t refused_address = 0;   // source outside the service's address list
  std::uint64_t refused_sessions = 0;  // over the service's max-sessions
  std::uint64_t refused_capacity = 0;  // over lab.max-connections
  std::uint64_t protocol_errors = 0;   // dropped by the codec (caps, bad framing)
  std::uint64_t tls_failures = 0;      // TLS handshakes that failed
  std::uint64_t active = 0;            // connections open now
};

class Router {
 public:
  // `key`: the key type of a "self-signed" service's certificate.
  explicit Router(LabConfig cfg, KeyType key = KeyType::kRsa);
  ~Router();  // stop()
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Binds every enabled service on every listen address and starts serving.
  void start();
  // Closes listeners and sessions and joins the I/O thread (within ~2 s).
  void stop();
  bool running() const;

  // The bound port of `service` (after start()); 0 when not served.
  std::uint16_t port(std::string_view service) const;
  // The lab CA's PEM when a service uses "certificate": "self-signed", else empty.
  std::string ca_pem() const;
  std::vector<LogEntry> log() const;
  std::vector<LogEntry> log_after(std::uint64_t id) const;  // entries newer than id
  RouterStats stats() const;
  const LabConfig& config() const;
  std::string identity() const;

 private:
  friend class Fleet;
  // A router on a shared I/O context with a shared CA; its stop() closes
  // everything but leaves the context running (Fleet owns and stops it).
  Router(LabConfig cfg, boost::asio::io_context& io, const LabCa& ca);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vantage::lab
