#include "engine/result.hpp"

#include "core/error.hpp"

namespace vantage::engine {

RunReport::Counts RunReport::counts() const {
  Counts c;
  for (const auto& s : scenarios) {
    for (const auto& r : s.results) {
      switch (r.verdict.status) {
        case probes::Status::kPass: ++c.pass; break;
        case probes::Status::kFail: ++c.fail; break;
        case probes::Status::kError: ++c.error; break;
        case probes::Status::kSkip: ++c.skip; break;
      }
    }
  }
  return c;
}

int exit_code_for(const RunReport& report) {
  const auto c = report.counts();
  if (c.fail > 0) return static_cast<int>(ExitCode::kFail);
  if (!report.permission_errors.empty()) return static_cast<int>(ExitCode::kPermission);
  if (c.error > 0) return static_cast<int>(ExitCode::kError);
  if (c.pass == 0) return static_cast<int>(ExitCode::kError);  // nothing was tested
  return static_cast<int>(ExitCode::kPass);
}

}  // namespace vantage::engine
