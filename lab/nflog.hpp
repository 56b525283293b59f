#pragma once
// The firewall's log lines from real packets: an NFLOG group (the nft rules
// `vantage lab --print-nft` makes log to it) read with libnetfilter_log, each
// packet written as RouterOS writes a firewall log line:
//   DROP API: input: in:vlab-rm out:(unknown 0), src-mac 02:..., proto TCP (SYN),
//   198.51.100.7:40000->192.0.2.1:8729, len 60
// Needs CAP_NET_ADMIN in the namespace the reader is made in.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace vantage::lab {

// One logged packet as RouterOS words it, without the prefix.
std::string routeros_firewall_line(const std::string& chain, const std::string& in_if,
                                   const std::string& src_mac, const unsigned char* ip,
                                   std::size_t len);

class NflogReader {
 public:
  // `on_line(prefix, text)` runs on the reader's thread. Throws vantage::Error
  // when the group cannot be bound.
  using OnLine = std::function<void(const std::string& prefix, const std::string& text)>;
  NflogReader(int group, OnLine on_line);
  ~NflogReader();  // stops and joins (within ~200 ms)
  NflogReader(const NflogReader&) = delete;
  NflogReader& operator=(const NflogReader&) = delete;

 private:
  struct Handles;  // the libnetfilter_log handles, closed in reverse order
  std::unique_ptr<Handles> h_;
  OnLine on_line_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  void run();
};

}  // namespace vantage::lab
