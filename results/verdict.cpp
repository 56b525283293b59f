#include "results/verdict.hpp"

#include <string>

namespace vantage::results {

const char* to_string(Status s) {
  switch (s) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kError:
      return "error";
    case Status::kSkip:
      return "skip";
  }
  return "error";
}

Verdict decide(const CheckSpec& spec, const Observation& obs) {
  Verdict v = spec.judge(obs);
  if (v.status != Status::kPass) return v;
  if (!obs.error.empty()) {
    v.status = Status::kError;
    v.message = "could not probe: " + obs.error;
    v.observed = "error";
  } else if (!obs.unknowns.empty()) {
    std::string gaps;
    for (const auto& u : obs.unknowns) gaps += (gaps.empty() ? "" : "; ") + u;
    v.status = Status::kError;
    v.message = "not enough evidence to pass: " + gaps;
    v.observed = "unknown";
  }
  return v;
}

}  // namespace vantage::results
