#pragma once
// The one way a probe connects from its vantage point: net::tcp_connect from
// the source (or from the default namespace and address when there is none),
// every attempt whose SYN left this host handed to a recorder (the run's
// list, for the capture's self-validation), and the source the kernel really
// used checked against the one configured. Probes reach it through
// ProbeContext::connect; the TCP outcome is put into words here too.
#include <functional>
#include <string>

#include "core/deadline.hpp"
#include "net/sockaddr.hpp"
#include "net/source.hpp"
#include "net/tcp_connect.hpp"

namespace vantage::net {

// Called once per attempt that got a local address: (local ip:port, remote ip:port).
// Each attempt that left the host: its addresses and when its SYN was sent.
using ConnectionRecorder = std::function<void(const std::string& local, const std::string& remote,
                                              std::chrono::system_clock::time_point sent)>;

struct VantageConnect {
  ConnectResult tcp;     // outcome, attempts, fd, local_ip, error
  std::string remote;    // ip:port asked
  std::string local;     // ip:port of the last attempt that got one
  std::string mismatch;  // "source mismatch: ..." when the kernel used another source address
};

struct VantageOptions {
  ConnectOptions tcp;
};

// From `src` (null: this host's namespace and routing) to `dst`, bounded by `dl`.
VantageConnect vantage_connect(const SourceSpec* src, const SockAddr& dst,
                               const VantageOptions& opt, Deadline dl,
                               const ConnectionRecorder& record);

// A connection outcome in words, for the two audiences that show it: the tcp
// probe's summary ("(RST in answer to SYN)") and an application session's
// contact detail ("RST in answer to SYN", without ICMP names or errno text).
enum class OutcomeWords { kProbeSummary, kSessionDetail };
std::string outcome_words(const ConnectResult& r, OutcomeWords style);

}  // namespace vantage::net
