// The REST probe's HTTP response path: http_exchange writes a request and
// parses whatever comes back, here the fuzzer's bytes in fuzzer-sized reads,
// ended by EOF, reset or timeout.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "probes/rest/http_client.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t shape = in.byte();
  const net::IoResult::Status ends[] = {net::IoResult::Status::kEof, net::IoResult::Status::kReset,
                                        net::IoResult::Status::kTimeout};
  fuzz::BytesStream stream(in, ends[shape % 3]);
  probes::HttpRequest req;
  req.method = (shape & 4) ? "HEAD" : "GET";
  req.target = "/rest/system/identity";
  req.host = "192.0.2.1";
  probes::HttpLimits lim;
  if (shape & 8) {
    lim.max_header = 256;
    lim.max_body = 512;
  }
  const auto r = probes::http_exchange(stream, req, lim, Deadline::in(std::chrono::seconds(5)));
  if (r.state == probes::HttpResponse::State::kResponse) {
    if (r.body.size() > lim.max_body) std::abort();
    (void)r.header("content-type");
  } else if (r.detail.empty()) {
    std::abort();  // every state but a response says why
  }
  if (r.bytes_received > size) std::abort();
  return 0;
}
