#pragma once
// Turns captured frames into flows, findings and problems. Feed it packets
// from files (offline.hpp) or a live capture (live_capture.hpp), then finish().
// Never throws on packet contents: every malformed frame is a PacketProblem.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/flow.hpp"
#include "capture/packet.hpp"
#include "capture/reassembly.hpp"

namespace vantage::capture {

struct AnalyzerOptions {
  std::vector<std::uint16_t> api_ports{8728};  // plaintext API service ports
  std::vector<std::uint16_t> tls_ports{8729};  // API-SSL service ports
  ReassemblyLimits limits;                     // per direction of one flow
  // Bounds for a hostile or huge input (a pcap of unique SYNs costs ~30x its
  // size otherwise): flows tracked at once (the least recently active is
  // finalised first), bytes held for reassembly across all of them, and flow
  // records kept for the report (the rest are counted, and judged all the
  // same). The report says when a bound was reached.
  std::size_t max_tracked_flows = 16384;
  std::size_t max_buffered_bytes = 64u << 20;
  std::size_t max_reported_flows = 10000;
};

class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions opts = {});
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // A new file or live capture; packet numbers restart at 1.
  void begin_source(std::string name, int dlt, std::string link_name);
  void add(const RawPacket& pkt);
  // The link type changes inside the current source (pcapng with several interfaces).
  void set_link_type(int dlt, std::string link_name);
  // A problem at the position of the next packet (e.g. libpcap stopped reading).
  void source_problem(std::string what, bool stops_source);
  std::uint64_t packets_in_source() const;
  // Connections whose handshake this analyzer saw (the client's SYN, then
  // the server's SYN-ACK) and whose end it has not (a RST, or a FIN each
  // way): what a run's capture waits for before it stops.
  std::uint64_t open_connections() const;
  AnalysisResult finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vantage::capture
