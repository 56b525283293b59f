#pragma once
// One hand-built ClientHello on one connection: connect through a Connector,
// send the hello, and read until the answer says what the server did. The
// scanner (tls/scanner.hpp) decides which hellos to send and what the
// answers prove.
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "core/deadline.hpp"
#include "core/unique_fd.hpp"
#include "tls/client_hello.hpp"
#include "tls/server_response.hpp"

namespace vantage::tls {

// A connected non-blocking socket, or why there is none ("closed",
// "filtered", a setup error...).
struct Connection {
  UniqueFd fd;
  std::string error;
};
using Connector = std::function<Connection(Deadline)>;

// How one hand-built hello ended.
struct HelloOutcome {
  enum class Kind {
    kServerHello,  // hello.version/suite say what the server chose
    kAlert,        // the server refused with an alert
    kReset,        // TCP reset before any TLS answer
    kClosed,       // TCP close (FIN) before any TLS answer
    kTimeout,      // silence until the deadline
    kGarbage,      // the answer is not TLS
    kNoConnection  // the TCP connection could not be made
  };
  Kind kind = Kind::kTimeout;
  ServerHello hello;
  Alert alert;
  std::string detail;  // alert name, garbage reason, connect error
  std::size_t bytes = 0;
};
const char* to_string(HelloOutcome::Kind k);

// Writes `hello` on a connected non-blocking socket and reads until the
// parser has a final answer (or the first flight is complete), the peer
// closes, `max_bytes` arrive, or the deadline passes.
HelloOutcome exchange_hello(int fd, std::span<const std::uint8_t> hello, Deadline dl,
                            std::size_t max_bytes = 64 * 1024);
// Builds a hello from `opt` (randomized) and exchanges it on `c`, or says
// why there is no connection (c.error).
HelloOutcome hello_on(const Connection& c, HelloOptions opt, Deadline dl);
// Connects, builds a hello from `opt` (randomized), exchanges it.
HelloOutcome try_hello(const Connector& connect, HelloOptions opt, Deadline dl,
                       std::chrono::milliseconds per_hello);

}  // namespace vantage::tls
