#pragma once
// Spots HTTP credentials sent in clear in one TCP direction: every
// Authorization or Proxy-Authorization header of every request on the
// connection (keep-alive included), whatever the scheme.
//
//   GET /rest/system/identity HTTP/1.1\r\n       <- request line: the stream is HTTP
//   Host: 192.0.2.1\r\n
//   Authorization: Basic YWRtaW46c2VjcmV0\r\n   <- base64("admin:secret"): user "admin"
//   Authorization: Digest username="admin", realm=..., response="..."
//
// The stream is read line by line (bounded), not parsed as messages: a header
// line in a body is reported too, which errs on the side of exposure. The
// secret is never kept: only the scheme, the user name and the packets.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vantage::capture {

struct HttpCredential {
  std::string header;              // "Authorization" or "Proxy-Authorization" (as sent)
  std::string scheme;              // "Basic", "Digest", ... (as sent; empty when none)
  std::string user;                // Basic and Digest; empty when unknown
  std::uint64_t first_packet = 0;  // where the header line starts
  std::uint64_t last_packet = 0;   // where it ends
};

class HttpSniffer {
 public:
  enum class Verdict { kUndecided, kHttp, kNotHttp };

  void on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void on_gap();
  void start_midstream() { midstream_ = true; }

  Verdict verdict() const { return verdict_; }
  bool active() const { return verdict_ != Verdict::kNotHttp; }
  const std::vector<HttpCredential>& credentials() const { return creds_; }

 private:
  void end_line(std::uint64_t packet);
  bool first_bytes_ok(std::uint8_t c) const;

  Verdict verdict_ = Verdict::kUndecided;
  bool midstream_ = false;
  bool junk_line_ = false;  // the current line began inside lost bytes
  bool line_cut_ = false;   // the current line is longer than we keep
  std::string line_;
  std::uint64_t line_packet_ = 0;
  std::uint64_t undecided_bytes_ = 0;
  std::vector<HttpCredential> creds_;
};

}  // namespace vantage::capture
