#pragma once
// The records an analysis produces: flows, findings and per-packet problems.
// Records only; reporters (flow_report.hpp, reports/) format them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/packet.hpp"
#include "capture/reassembly.hpp"
#include "capture/tls_witness.hpp"

namespace vantage::capture {

enum class FlowClass { kNoPayload, kRouterosApiPlaintext, kTls, kOtherPlaintext };
// "no-payload", "routeros-api-plaintext", "tls", "other-plaintext"
const char* to_string(FlowClass c);

// A packet in one of the analysed sources, numbered from 1 as Wireshark does.
struct PacketRef {
  std::uint32_t source = 0;  // index into AnalysisResult::sources
  std::uint64_t number = 0;
};

struct FlowRecord {
  std::uint64_t id = 0;  // 1-based, in order of first packet
  Endpoint client, server;
  bool roles_known = false;  // from SYN / SYN-ACK; otherwise guessed from ports
  std::int64_t first_us = 0, last_us = 0;
  PacketRef first_packet, last_packet;
  std::uint64_t packets = 0;
  std::uint64_t bytes_c2s = 0, bytes_s2c = 0;  // TCP payload bytes on the wire
  bool syn_seen = false;                       // the client's SYN was captured
  PacketRef syn_packet;
  bool fin_seen = false, rst_seen = false;
  StreamStats c2s, s2c;  // reassembly statistics per direction
  FlowClass cls = FlowClass::kNoPayload;
  std::optional<TlsWitness> tls;  // for tls flows
  std::uint64_t api_sentences = 0;
  std::string api_first_word;  // e.g. "/login" or "!done" (never an attribute), valid UTF-8
  std::vector<std::string> notes;
  // Finalised before its end because a bound of the analyzer was reached;
  // later packets of the connection start a new, mid-stream flow.
  bool cut_short = false;
};

struct Finding {
  // credential-exposure (RouterOS /login, or an HTTP Authorization header)
  // | plaintext-api | non-tls-on-tls-port | detection-login (information:
  // only vantage's own plaintext detection crossed, unanswered)
  std::string kind;
  std::string severity;  // critical | high | medium | info
  std::uint64_t flow_id = 0;
  Endpoint client, server;
  std::string user;  // credential-exposure: the login name, valid UTF-8 (never the secret)
  std::string message;
  std::vector<PacketRef> packets;
};

struct PacketProblem {
  PacketRef packet;
  std::string what;
};

struct SourceInfo {
  std::string name;  // file path or "live:IF"
  std::string link_type;
  std::uint64_t packets = 0;
  bool complete = true;  // false: reading stopped early (truncated or corrupt)
};

struct AnalysisResult {
  std::vector<SourceInfo> sources;
  std::vector<FlowRecord> flows;  // at most max_reported_flows (the first finished), by id
  std::uint64_t flows_total = 0;  // all flows, listed or not
  std::uint64_t flows_cut_short = 0;
  std::vector<Finding> findings;  // the kMaxFindings most severe
  std::uint64_t findings_total = 0;
  std::vector<PacketProblem> problems;  // the first kMaxProblems
  std::uint64_t problems_total = 0;
  std::uint64_t packets = 0, tcp_packets = 0, other_packets = 0;
  std::vector<std::uint16_t> api_ports, tls_ports;

  // Why the input cannot prove that nothing was exposed, one line each.
  // Input level: nothing read, a source cut short, an unsupported link type,
  // frames that could not be decoded.
  std::vector<std::string> undecodable;
  // Flows to an API port that carried bytes which did not decode, with bytes
  // missing: they may have spoken the API in plaintext.
  std::vector<std::string> unreadable_api_flows;
  // Both of the above; empty: the input was fully decoded.
  std::vector<std::string> unverified() const;

  static constexpr std::size_t kMaxProblems = 1000;
  static constexpr std::size_t kMaxFindings = 1000;
  // Flows seen but not listed in `flows` (the report bound).
  std::uint64_t flows_unlisted() const { return flows_total - flows.size(); }
  // A plaintext API flow or an exposed credential.
  bool exposure() const;
  std::string packet_label(const PacketRef& p) const;  // "capture.pcap#12"
};

}  // namespace vantage::capture
