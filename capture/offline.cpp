#include "capture/offline.hpp"

#include "capture/pcap_handle.hpp"
#include "capture/pcapng_reader.hpp"
#include "core/error.hpp"

namespace vantage::capture {

namespace {

// libpcap stops at an interface whose link type differs from the first one;
// continue from where it stopped with a reader that keeps per-packet link types.
void read_mixed_pcapng(const std::string& path, Analyzer& analyzer) {
  const std::uint64_t already = analyzer.packets_in_source();
  std::uint64_t seen = 0;
  const std::string stop = read_pcapng(path, [&](const PcapngPacket& p) {
    if (++seen <= already) return;
    const char* n = pcap_link_name(p.dlt);
    analyzer.set_link_type(p.dlt, n ? n : "DLT_" + std::to_string(p.dlt));
    analyzer.add(p.pkt);
  });
  if (!stop.empty()) analyzer.source_problem("reading stopped: " + stop, true);
}

}  // namespace

void read_file(const std::string& path, Analyzer& analyzer) {
  std::optional<PcapHandle> h;
  try {
    h.emplace(PcapHandle::open_offline(path));
  } catch (const Error& e) {
    analyzer.begin_source(path, -1, "?");
    analyzer.source_problem(e.what(), true);
    return;
  }
  analyzer.begin_source(path, h->datalink(), h->datalink_name());
  RawPacket pkt;
  std::string err;
  for (;;) {
    const auto st = h->next(pkt, err);
    if (st == PcapHandle::Next::kPacket) {
      analyzer.add(pkt);
      continue;
    }
    if (st == PcapHandle::Next::kError) {
      if (err.find("different from the type of the first interface") != std::string::npos) {
        read_mixed_pcapng(path, analyzer);
        return;
      }
      analyzer.source_problem("reading stopped: " + err, true);
    }
    return;  // kEof (or kTimeout, which a file never returns)
  }
}

AnalysisResult analyze_files(const std::vector<std::string>& paths, AnalyzerOptions opts) {
  Analyzer a(std::move(opts));
  for (const auto& p : paths) read_file(p, a);
  return a.finish();
}

}  // namespace vantage::capture
