#pragma once
// Move-only RAII owners of libpcap handles: a capture or file handle, a dump
// file and a compiled BPF program. pcap.h stays out of this header: the C
// types are only forward-declared and every call lives in pcap_handle.cpp.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "capture/packet.hpp"

struct pcap;
struct pcap_dumper;
struct bpf_program;

namespace vantage::capture {

struct LiveOptions {
  std::string interface = "any";
  int snaplen = 65600;          // full frames: a 64 KiB GSO packet and its headers
  int buffer_bytes = 64 << 20;  // kernel ring: ~1000 frames of snaplen (live_capture.hpp)
  int timeout_ms = 100;
};

struct PcapCounters {
  std::uint64_t received = 0;
  std::uint64_t dropped = 0;     // dropped by the kernel: the capture missed them
  std::uint64_t if_dropped = 0;  // dropped by the interface (not necessarily ours)
};

class PcapHandle {
 public:
  // Opens and activates a live capture in immediate mode, in the calling
  // thread's network namespace. Throws PermissionError naming CAP_NET_RAW when
  // privileges are missing, vantage::Error otherwise.
  static PcapHandle open_live(const LiveOptions& opts);
  // Opens a pcap or pcapng file. Throws vantage::Error.
  static PcapHandle open_offline(const std::string& path);

  PcapHandle(PcapHandle&& o) noexcept;
  PcapHandle& operator=(PcapHandle&& o) noexcept;
  PcapHandle(const PcapHandle&) = delete;
  PcapHandle& operator=(const PcapHandle&) = delete;
  ~PcapHandle();

  int datalink() const;
  std::string datalink_name() const;
  // Compiles and installs a BPF filter. Throws vantage::Error with libpcap's text.
  void set_filter(const std::string& expr);
  void set_nonblock(bool on);
  int selectable_fd() const;

  enum class Next { kPacket, kTimeout, kEof, kError };
  // Reads one packet; on kError `error` holds libpcap's text.
  Next next(RawPacket& out, std::string& error);
  // Delivers up to `max` (-1: all buffered) packets; returns the count or -1.
  int dispatch(int max, const std::function<void(const RawPacket&)>& fn);
  std::optional<PcapCounters> counters() const;
  std::string last_error() const;
  pcap* get() const { return p_; }

 private:
  explicit PcapHandle(pcap* p) : p_(p) {}
  pcap* p_ = nullptr;
  // An offline file's stdio buffer (glibc ignores setvbuf's size without
  // one); freed after p_, whose FILE uses it until pcap_close().
  std::unique_ptr<char[]> file_buffer_;
};

// A pcap file being written (always classic pcap, microsecond timestamps).
class PcapDumper {
 public:
  static PcapDumper open(const PcapHandle& source, const std::string& path);
  PcapDumper() = default;
  PcapDumper(PcapDumper&& o) noexcept;
  PcapDumper& operator=(PcapDumper&& o) noexcept;
  PcapDumper(const PcapDumper&) = delete;
  PcapDumper& operator=(const PcapDumper&) = delete;
  ~PcapDumper();

  explicit operator bool() const { return d_ != nullptr; }
  void write(const RawPacket& pkt);
  void flush();
  void close();

 private:
  explicit PcapDumper(pcap_dumper* d) : d_(d) {}
  pcap_dumper* d_ = nullptr;
};

// A compiled BPF program.
class BpfProgram {
 public:
  // Compiles `expr` for `handle`'s link type. Throws vantage::Error.
  static BpfProgram compile(const PcapHandle& handle, const std::string& expr);
  BpfProgram(BpfProgram&& o) noexcept;
  BpfProgram& operator=(BpfProgram&& o) noexcept;
  BpfProgram(const BpfProgram&) = delete;
  BpfProgram& operator=(const BpfProgram&) = delete;
  ~BpfProgram();
  bpf_program* get() const { return prog_; }

 private:
  explicit BpfProgram(bpf_program* p) : prog_(p) {}
  bpf_program* prog_ = nullptr;
};

// Checks filter syntax without a capture; returns libpcap's complaint or nullopt.
std::optional<std::string> filter_syntax_error(const std::string& expr);

// libpcap's name for a link type (EN10MB), or nullptr.
const char* pcap_link_name(int dlt);

// The text a missing-privilege error carries.
std::string capture_permission_hint();

}  // namespace vantage::capture
