#pragma once
// A minimal, strict HTTP/1.1 client for the rest probe: one request, one
// response, over any net::Stream (plain or TLS), parsed by Boost.Beast's
// response parser with header and body limits. It never follows redirects:
// a 3xx is an answer like any other, with its Location recorded.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/deadline.hpp"
#include "net/stream.hpp"

namespace vantage::probes {

struct HttpLimits {
  std::size_t max_header = 16 * 1024;
  std::size_t max_body = 256 * 1024;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string host;                                         // Host header value
  std::vector<std::pair<std::string, std::string>> fields;  // extra header fields
  std::string serialize() const;
};

struct HttpResponse {
  enum class State {
    kResponse,    // a complete response
    kNoResponse,  // the connection ended or timed out before any byte (see io_end)
    kNotHttp,     // bytes that are not an HTTP response
    kTooLarge,    // header or body over the limits
    kIncomplete,  // the response broke off or the deadline passed mid-response
  };
  State state = State::kNoResponse;
  net::IoResult::Status io_end = net::IoResult::Status::kOk;
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, bounded
  std::string body;
  std::string detail;  // why, for every state but kResponse
  std::size_t bytes_received = 0;

  // First header value by case-insensitive name, or "".
  std::string header(std::string_view name) const;
};
const char* to_string(HttpResponse::State s);

// Writes `req` and reads one response, within `dl` and `limits`.
HttpResponse http_exchange(net::Stream& stream, const HttpRequest& req, const HttpLimits& limits,
                           Deadline dl);

}  // namespace vantage::probes
