#pragma once
// Protocol-version and cipher-suite enumeration with hand-built hellos.
// The scanner does not know about sources or capture: it asks a Connector
// for each connected socket, so the probe decides where connections come
// from (vantage point) and records them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/deadline.hpp"
#include "core/unique_fd.hpp"
#include "tls/client_hello.hpp"
#include "tls/server_response.hpp"
#include "tls/version.hpp"

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
// Connects, builds a hello from `opt` (randomized), exchanges it.
HelloOutcome try_hello(const Connector& connect, HelloOptions opt, Deadline dl,
                       std::chrono::milliseconds per_hello);

struct SuiteResult {
  std::uint16_t code = 0;
  std::optional<int> dh_bits;               // DHE: size of p; TLS 1.3: an ffdhe key share
  std::optional<std::uint16_t> ecdh_group;  // ECDHE / TLS 1.3 key share group
};

// What a scan may conclude from an answer, and what it may not:
//
// - A version is accepted when a hello for it gets a ServerHello for it.
// - A version is refused only on positive evidence: a TLS alert, a
//   ServerHello for another version, or a TCP close/reset that repeats on a
//   sequential retry while the same server, right after, answers a hello of a
//   version it accepts (offering a suite it accepted). Silence, garbage, a
//   failed connection, or a close/reset that is not confirmed that way leave
//   the version undetermined: neither accepted nor refused.
// - A suite enumeration is complete only when the server ended it with an
//   alert (it has none of the suites left), or every offered suite was
//   chosen. Anything else that stops it early (close, reset, garbage after an
//   accepted suite, a per-hello timeout, a failed connection, a TLS 1.3
//   single-suite hello without an answer, the bound or the deadline) marks it
//   truncated and lists the suites never answered in `untested`.
// - Whatever was cut short (an undetermined version, a truncated
//   enumeration) is retried once, sequentially (one connection at a time,
//   after the parallel phase), so a session limit or a connection-rate rule
//   that cut the parallel scan does not decide the result. What the retry
//   still cannot settle stays undetermined or truncated, and the probe
//   reports it as unknown: never as "not accepted".
struct VersionResult {
  Version version = Version::kTls12;
  bool accepted = false;
  bool refused = false;                // positive evidence, see above
  HelloOutcome first;                  // the answer to the full-list hello (latest try)
  std::vector<SuiteResult> suites;     // accepted suites in the order found
  bool enumeration_truncated = false;  // cut short: `untested` were never answered
  std::vector<std::uint16_t> untested;  // offered, never answered (when truncated)
  std::vector<std::string> notes;       // odd server behaviour worth a warning
  bool determined() const { return accepted || refused; }
};

struct ScanOptions {
  std::string server_name;
  std::vector<Version> versions = {Version::kSsl3, Version::kTls10, Version::kTls11,
                                   Version::kTls12, Version::kTls13};
  bool enumerate_suites = true;
  std::size_t max_suites = 128;  // per version: bounds the offer-remove-repeat loop
  std::chrono::milliseconds per_hello{2000};
  bool parallel = true;  // one thread per version (retries are always sequential)
};

struct ScanResult {
  std::vector<VersionResult> versions;
  // DER chain from the first TLS <= 1.2 flight that carried one (leaf first).
  std::vector<std::vector<std::uint8_t>> certificates;
  std::size_t connections = 0;
};

ScanResult scan(const Connector& connect, const ScanOptions& opt, Deadline dl);

}  // namespace vantage::tls
