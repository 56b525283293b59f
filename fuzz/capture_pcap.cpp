// A capture file from anywhere, through the real readers: the bytes become an
// in-memory file that libpcap opens (pcap or pcapng; a pcapng whose
// interfaces differ falls through to vantage's own reader), and the whole
// analyzer runs behind it (reassembly, classification, TLS witness, API and
// HTTP sniffers, findings with redacted evidence). The same frames then go
// through the redactor that guards the pcaps vantage writes.
#include <cstdlib>

#include "capture/analyzer.hpp"
#include "capture/offline.hpp"
#include "capture/pcap_handle.hpp"
#include "capture/redact.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::MemFile file({data, size});
  if (!file.ok()) return 0;
  capture::AnalyzerOptions opts;
  opts.api_ports = {8728, 80};
  opts.tls_ports = {8729, 443};
  // Small bounds, so the fuzzer reaches the caps and the LRU finalisation.
  opts.max_tracked_flows = 8;
  opts.max_buffered_bytes = 64 * 1024;
  opts.max_reported_flows = 4;
  const auto result = capture::analyze_files({file.path()}, opts);
  (void)result;

  try {
    auto h = capture::PcapHandle::open_offline(file.path());
    capture::CredentialRedactor red;
    capture::RawPacket pkt;
    std::string err;
    std::vector<std::uint8_t> frame;
    while (h.next(pkt, err) == capture::PcapHandle::Next::kPacket) {
      frame.assign(pkt.data, pkt.data + pkt.caplen);
      if (red.needs_redaction(h.datalink(), frame)) {
        if (red.redact(h.datalink(), frame) > frame.size()) std::abort();
      }
    }
  } catch (const Error&) {  // not a capture libpcap opens: analyze_files said so
  }
  return 0;
}
