#include "results/verdict.hpp"

#include <string>
#include <utility>

namespace vantage::results {

const char* to_string(Status s) {
  switch (s) {
    case Status::kPass: return "pass";
    case Status::kFail: return "fail";
    case Status::kError: return "error";
    case Status::kSkip: return "skip";
    case Status::kWaived: return "waived";
  }
  return "error";
}

Verdict unobserved(std::string expected, std::string message) {
  return {Status::kError, std::move(message), std::move(expected), "error"};
}

Verdict decide(const CheckSpec& spec, const Observation& obs) {
  Verdict v = spec.judge(obs);
  if (v.status != Status::kPass) return v;
  if (!obs.error.empty()) {
    v = unobserved(std::move(v.expected), "could not probe: " + obs.error);
  } else if (!obs.unknowns.empty()) {
    std::string gaps;
    for (const auto& u : obs.unknowns) gaps += (gaps.empty() ? "" : "; ") + u;
    v.status = Status::kError;
    v.message = "not enough evidence to pass: " + gaps;
    v.observed = "unknown";
  }
  return v;
}

std::string fingerprint(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  static const char* hex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = hex[h & 15];
  return out;
}

}  // namespace vantage::results
