#include "capture/offline.hpp"

#include "capture/pcap_handle.hpp"
#include "core/error.hpp"

namespace vantage::capture {

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
      std::string what = "reading stopped: " + err;
      if (err.find("different from the type of the first interface") != std::string::npos)
        what += " (the file mixes link types, which libpcap cannot read past)";
      analyzer.source_problem(std::move(what), true);
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
