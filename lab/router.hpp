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
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lab/config.hpp"
#include "lab/log.hpp"

namespace vantage::lab {

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
  explicit Router(LabConfig cfg);
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
  RouterStats stats() const;
  const LabConfig& config() const;
  std::string identity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vantage::lab
