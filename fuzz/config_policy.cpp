// TLS policy files (tls/policy.hpp): any text, parsed as `--policy FILE`
// would be; a located ConfigError is the only acceptable failure.
#include <cstdlib>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "tls/policy.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto p = tls::parse_policy("fuzz-policy.json", fuzz::as_string({data, size}));
    (void)tls::policy_needs_certificate(p);
  } catch (const ConfigError& e) {
    if (std::string(e.what()).empty()) std::abort();
  }
  return 0;
}
