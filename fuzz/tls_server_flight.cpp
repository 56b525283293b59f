// The TLS server-flight parser (tls/server_response.hpp) on whatever a
// server may send: the whole input, and every prefix a reader could see
// when the bytes arrive a few at a time. A prefix that the full input
// completes may only say need-more or give the same verdict.
#include <cstdlib>

#include "tls/server_response.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> all(data, size);
  const auto full = tls::parse_server_response(all);
  if (full.kind == tls::ParseResult::Kind::kGarbage && full.reason.empty()) std::abort();
  if (full.kind == tls::ParseResult::Kind::kServerHello) {
    std::size_t total = 0;
    for (const auto& c : full.hello.certificates) total += c.size();
    if (total > size) std::abort();  // nothing is invented
  }
  (void)tls::alert_name(full.alert.description);
  // A handful of prefixes (every one would make the target quadratic).
  for (std::size_t cut :
       {std::size_t{5}, size / 3, size / 2, size - std::min<std::size_t>(size, 1)}) {
    if (cut >= size) continue;
    const auto part = tls::parse_server_response(all.first(cut));
    if (part.kind == tls::ParseResult::Kind::kAlert && full.kind != tls::ParseResult::Kind::kAlert)
      std::abort();  // an alert cannot turn into something else with more bytes
  }
  return 0;
}
