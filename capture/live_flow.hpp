#pragma once
// A flow while it is open: its two reassembled halves and the sniffers that
// watch each direction (internal to the analyzer: analyzer.cpp keeps the
// flows, findings.cpp judges one when it ends).
#include <cstdint>
#include <span>

#include "capture/api_sniffer.hpp"
#include "capture/flow.hpp"
#include "capture/http_sniffer.hpp"
#include "capture/reassembly.hpp"
#include "capture/tls_witness.hpp"

namespace vantage::capture {

// Sinks see one 64-bit packet id: the source index above the packet number.
inline std::uint64_t pack(PacketRef r) {
  return std::uint64_t{r.source} << 48 | r.number;
}
inline PacketRef unpack(std::uint64_t v) {
  return {static_cast<std::uint32_t>(v >> 48), v & ((std::uint64_t{1} << 48) - 1)};
}

// Everything that watches one direction's byte stream.
struct DirSink final : StreamSink {
  TlsRecordWalker tls;
  ApiSniffer api;
  HttpSniffer http;
  DirSink(bool from_client, TlsWitness& w) : tls(from_client, w) {}
  void on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet) override {
    if (tls.active()) tls.on_data(bytes, packet);
    if (api.active()) api.on_data(bytes, packet);
    if (http.active()) http.on_data(bytes, packet);
  }
  void on_gap(std::uint64_t, std::uint64_t) override {
    tls.on_gap();
    api.on_gap();
    http.on_gap();
  }
  bool interested() const { return tls.active() || api.active() || http.active(); }
  void start_midstream() {
    tls.start_midstream();
    api.start_midstream();
    http.start_midstream();
  }
};

// Per-flow state that exists only while the flow is open.
struct LiveFlow {
  explicit LiveFlow(const ReassemblyLimits& l) : c2s(l), s2c(l) {}
  HalfStream c2s, s2c;
  TlsWitness witness;
  DirSink c2s_sink{true, witness};
  DirSink s2c_sink{false, witness};
  bool client_isn_set = false;
  std::uint32_t client_isn = 0;
  bool fin_c2s = false, fin_s2c = false;
};

}  // namespace vantage::capture
