#pragma once
// A minimal pcapng reader for the one case libpcap refuses: a file whose
// interfaces have different link types (libpcap stops at the second
// interface). Each packet is delivered with its own interface's link type.
//
// Block:  | type(4) | total_len(4) | body ... (padded to 4) | total_len(4) |
//   0x0A0D0D0A section header: | byte-order magic 0x1A2B3C4D(4) | major(2) minor(2) | len(8) | opts
//   0x00000001 interface:      | link_type(2) | reserved(2) | snaplen(4) | options
//                              option 9 if_tsresol: 1 byte, 2^-n when the top bit is set, else
//                              10^-n
//   0x00000006 enhanced packet:| if_id(4) | ts_high(4) | ts_low(4) | caplen(4) | len(4) | data
//   0x00000003 simple packet:  | len(4) | data                        (interface 0)
//   anything else: skipped
#include <cstdint>
#include <functional>
#include <string>

#include "capture/pcap_handle.hpp"

namespace vantage::capture {

struct PcapngPacket {
  RawPacket pkt;
  int dlt = -1;
};

// Reads `path`, calling `fn` for every packet. Returns an empty string at a
// clean end, or what stopped the reading (truncated or corrupt block).
std::string read_pcapng(const std::string& path,
                        const std::function<void(const PcapngPacket&)>& fn);

}  // namespace vantage::capture
