#pragma once
// Protocol-version and cipher-suite enumeration with hand-built hellos.
// The scanner does not know about sources or capture: it asks a Connector
// for each connected socket, so the probe decides where connections come
// from (vantage point) and records them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.hpp"
#include "tls/hello_exchange.hpp"
#include "tls/version.hpp"

namespace vantage::tls {

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
// - Whatever was cut short is retried sequentially (one connection at a
//   time, after the parallel phase): an undetermined version once, or in up
//   to three rounds while it meets only silence, and a truncated enumeration
//   in up to three rounds, each from where the last stopped (a lossy link's
//   silences), so a session limit, a connection-rate
//   rule or a lost packet that cut the parallel scan does not decide the result. What the retry
//   still cannot settle stays undetermined or truncated, and the probe
//   reports it as unknown: never as "not accepted".
struct VersionResult {
  Version version = Version::kTls12;
  bool accepted = false;
  bool refused = false;                 // positive evidence, see above
  HelloOutcome first;                   // the answer to the full-list hello (latest try)
  std::vector<SuiteResult> suites;      // accepted suites in the order found
  bool enumeration_truncated = false;   // cut short: `untested` were never answered
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
  // A version's suites after its first answer are split into this many lanes,
  // each its own offer-remove-repeat, side by side: on a distant link the
  // scan then costs about (accepted suites / lanes) round trips, not one per
  // accepted suite. TLS 1.3's one-suite hellos go side by side too. Not
  // `parallel`: one lane, one connection at a time. While many scans run in
  // the process (a fleet), fewer: see lanes_while_busy().
  std::size_t lanes = 8;
  // Hellos in flight at once over the whole scan: RouterOS serves at most
  // max-sessions (default 20) connections per service, and the other checks
  // of a run need some.
  std::size_t max_in_flight = 8;
  // Each lane makes its next connection while its current hello is answered
  // (at most max_in_flight such at once), so a lane's later hellos cost one
  // round trip, not two. Only while the scan's lanes are not narrowed (a
  // fleet has no connections to spare), never on a sequential retry.
  bool connect_ahead = true;
};

struct ScanResult {
  std::vector<VersionResult> versions;
  // DER chain from the first TLS <= 1.2 flight that carried one (leaf first).
  std::vector<std::vector<std::uint8_t>> certificates;
  std::size_t connections = 0;
};

ScanResult scan(const Connector& connect, const ScanOptions& opt, Deadline dl);

// The lanes a scan uses while `scans` scans run in this process, itself
// included. Lanes buy round trips for a run with connections to spare; in a
// fleet the other targets' scans already fill the run, and more lanes would
// only add threads and load each router with more connections at once.
std::size_t lanes_while_busy(std::size_t wanted, std::size_t scans);

}  // namespace vantage::tls
