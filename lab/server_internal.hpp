#pragma once
// Internals shared by the Router and its connection types (not public API).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

#include "lab/config.hpp"
#include "lab/model.hpp"

namespace vantage::lab {

struct Counters {
  std::atomic<std::uint64_t> accepted{0}, refused_address{0}, refused_sessions{0},
      refused_capacity{0}, protocol_errors{0}, tls_failures{0}, active{0};
};

// A served connection; the server closes all of them on stop().
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void start() = 0;
  virtual void close() = 0;  // idempotent, immediate
};

// What a connection needs from its server. Called on the I/O thread only.
class ServerHooks {
 public:
  virtual ~ServerHooks() = default;
  virtual boost::asio::io_context& io() = 0;
  virtual RouterModel& model() = 0;
  virtual Counters& counters() = 0;
  virtual void closed(std::uint64_t id) = 0;
};

// "192.0.2.1" (IPv4-mapped IPv6 shown as IPv4).
std::string peer_address(const boost::asio::ip::tcp::socket& s);

}  // namespace vantage::lab
