#include "results/result.hpp"

#include "core/error.hpp"

namespace vantage::results {

void Counts::add(Status s) {
  switch (s) {
    case Status::kPass: ++pass; break;
    case Status::kFail: ++fail; break;
    case Status::kError: ++error; break;
    case Status::kSkip: ++skip; break;
  }
}

Counts& Counts::operator+=(const Counts& o) {
  pass += o.pass;
  fail += o.fail;
  error += o.error;
  skip += o.skip;
  return *this;
}

Counts count(const std::vector<CheckResult>& results) {
  Counts c;
  for (const auto& r : results) c.add(r.verdict.status);
  return c;
}

Counts count(const std::vector<const CheckResult*>& results) {
  Counts c;
  for (const auto* r : results) c.add(r->verdict.status);
  return c;
}

Counts RunReport::counts() const {
  Counts c;
  for (const auto& s : scenarios) c += count(s.results);
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

}  // namespace vantage::results
