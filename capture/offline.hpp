#pragma once
// Offline analysis of pcap and pcapng files (libpcap reads both).
#include <string>
#include <vector>

#include "capture/analyzer.hpp"

namespace vantage::capture {

// Reads one file into `analyzer`. Never throws for file contents: a file that
// cannot be opened, is truncated or corrupt, or mixes link types is recorded
// as a problem at the packet where reading stopped, and what was read so far
// is still analysed.
void read_file(const std::string& path, Analyzer& analyzer);

// Reads every file, in order, into one analysis.
AnalysisResult analyze_files(const std::vector<std::string>& paths, AnalyzerOptions opts = {});

}  // namespace vantage::capture
