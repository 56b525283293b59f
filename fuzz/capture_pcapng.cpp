// vantage's own pcapng reader (the one libpcap falls back to for mixed link
// types), on an in-memory file, with every packet it delivers fed to the
// analyzer under that packet's link type.
#include <cstdlib>

#include "capture/analyzer.hpp"
#include "capture/pcapng_reader.hpp"
#include "fuzz_support.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::MemFile file({data, size});
  if (!file.ok()) return 0;
  capture::AnalyzerOptions opts;
  opts.max_tracked_flows = 8;
  opts.max_buffered_bytes = 64 * 1024;
  opts.max_reported_flows = 4;
  capture::Analyzer a(opts);
  a.begin_source("fuzz.pcapng", 1, "EN10MB");
  std::size_t total = 0;
  const std::string stop = capture::read_pcapng(file.path(), [&](const capture::PcapngPacket& p) {
    total += p.pkt.caplen;
    if (total > size) std::abort();  // a packet's bytes come from the file
    a.set_link_type(p.dlt, "DLT_" + std::to_string(p.dlt));
    a.add(p.pkt);
  });
  if (!stop.empty()) a.source_problem("reading stopped: " + stop, true);
  (void)a.finish();
  return 0;
}
