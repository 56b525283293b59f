#pragma once
// A live capture on a background thread: every frame is written to the pcap
// file (when one is named) and fed to an Analyzer.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "capture/analyzer.hpp"
#include "capture/pcap_handle.hpp"
#include "capture/redact.hpp"
#include "core/unique_fd.hpp"

namespace vantage::capture {

struct LiveConfig {
  std::string interface = "any";
  std::optional<std::string> netns;  // name under /run/netns, or a path
  std::string filter;                // complete BPF expression; empty: everything
  std::string file;                  // pcap to write; empty: none
  // On "any" (and with immediate mode's TPACKET_V2 ring) each ring frame is
  // snaplen long: 262144 left a 32 MiB ring 128 frames, and a parallel TLS
  // audit overran it whenever the reader was descheduled. 65600 holds the
  // largest GSO/TSO packet (64 KiB) plus link headers; 64 MiB makes ~1000.
  int snaplen = 65600;
  int buffer_bytes = 64 << 20;
  bool redact_credentials = true;  // mask secrets in the written pcap (redact.hpp)
};

struct LiveResult {
  AnalysisResult analysis;
  std::optional<PcapCounters> counters;
  std::string link_type;
  std::string error;  // the capture thread failed part-way (analysis is partial)
};

class LiveCapture {
 public:
  // Opens the handle (on a thread inside `netns` when set: the capture socket
  // keeps that namespace), installs the filter and opens the file. Throws
  // PermissionError (CAP_NET_RAW) or vantage::Error.
  LiveCapture(const LiveConfig& cfg, AnalyzerOptions opts);
  ~LiveCapture();
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  void start();
  // Stops the thread after draining what the kernel holds, then analyses.
  LiveResult finish();
  std::uint64_t packets() const { return packets_.load(); }
  // Analyzer::open_connections as of the last packet read (any thread).
  std::uint64_t open_connections() const { return open_.load(); }
  // Returns once the capture thread has read everything the kernel held when
  // it was called (true), or at `by` / when the thread has ended (false).
  // Without it a reader that was descheduled shows connections not yet open.
  bool catch_up(std::chrono::steady_clock::time_point by);

 private:
  void loop();
  void stop_thread();

  LiveConfig cfg_;
  std::optional<PcapHandle> handle_;
  PcapDumper dumper_;
  CredentialRedactor redactor_;
  std::vector<std::uint8_t> scratch_;
  int dlt_ = -1;
  Analyzer analyzer_;
  UniqueFd wake_read_, wake_write_;
  std::thread thread_;
  std::atomic<std::uint64_t> packets_{0};
  std::atomic<std::uint64_t> open_{0};
  std::atomic<std::uint64_t> sync_asked_{0}, sync_done_{0};  // catch_up() rounds
  std::atomic<bool> running_{false};
  std::string thread_error_;
  std::string link_type_;
};

}  // namespace vantage::capture
