#pragma once
// The run-wide capture: started by the engine before the first probe,
// stopped once the connections it saw open have ended in it (the last
// probe's close and the answer to it, about a round trip), at most drain_ms
// after the last probe. Its evidence is what the `capture` probe judges.
//
// Scenario key (top level):
//   "capture": { "interface": "any", "netns": "router", "filter": "not port 22",
//                "file": "capture.pcap", "drain_ms": 2000,
//                "api_ports": [8728], "tls_ports": [8729] }
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/flow.hpp"
#include "capture/pcap_handle.hpp"
#include "core/json_config.hpp"

namespace vantage::capture {

struct CaptureConfig {
  std::string interface = "any";
  std::optional<std::string> netns;
  std::string filter;  // the user's filter, ANDed with the plan's
  // Where the pcap goes. A relative path is relative to the process's working
  // directory: the engine resolves it against the report directory first.
  std::string file = "capture.pcap";
  // The most the stop waits for the connections to end: a fixed wait was
  // either too short for a long link or 500 ms lost on every run.
  std::chrono::milliseconds drain{2000};
  std::vector<std::uint16_t> api_ports{8728};
  std::vector<std::uint16_t> tls_ports{8729};
};

// Parses the scenario's "capture" object; reports problems to `diags` and
// returns nullopt when there were any.
std::optional<CaptureConfig> parse_capture_config(const json& v, const JsonPath& path,
                                                  Diagnostics& diags);

// What the plan will talk to. port 0: any port of that host.
struct CaptureTarget {
  std::string host;  // IP literal (a name is resolved once, here)
  std::uint16_t port = 0;
};

// "tcp and ((host 192.0.2.1 and (port 8728 or port 8729)) or host 2001:db8::1)"
// plus " and (USER)" when a user filter is set.
std::string plan_filter(const std::vector<CaptureTarget>& targets, const std::string& user);

struct RunEvidence {
  std::string error;  // non-empty: no usable evidence (capture did not start or failed)
  bool permission_denied = false;
  std::string interface;
  std::optional<std::string> netns;
  std::string filter;
  std::string file;
  std::string link_type;
  std::optional<PcapCounters> counters;
  AnalysisResult analysis;
  std::chrono::milliseconds drained{0};  // from the stop request to the capture's end
  std::uint64_t open_at_stop = 0;        // connections not ended when drain_ms ran out

  bool ok() const { return error.empty(); }
  // Whether the SYN of the connection local -> remote ("ip:port", "[v6]:port")
  // was captured.
  bool saw_syn(const std::string& local, const std::string& remote) const;
  static std::shared_ptr<RunEvidence> failed(std::string why, bool permission_denied = false);
};

class LiveCapture;

class RunCapture {
 public:
  // Opens the capture and starts it. Throws PermissionError (exit 77; the
  // message names CAP_NET_RAW and the setcap line) or vantage::Error.
  static std::unique_ptr<RunCapture> start(const CaptureConfig& cfg,
                                           const std::vector<CaptureTarget>& targets);
  ~RunCapture();
  // Drains (see above), stops and analyses. Never throws: failures become
  // RunEvidence::error.
  std::shared_ptr<RunEvidence> stop();

 private:
  RunCapture() = default;
  CaptureConfig cfg_;
  std::string filter_;
  std::unique_ptr<LiveCapture> live_;
};

}  // namespace vantage::capture
