#include "reports/matrix.hpp"

namespace vantage::reports {

namespace {

int rank(results::Status s) {
  switch (s) {
    case results::Status::kFail: return 4;
    case results::Status::kError: return 3;
    case results::Status::kWaived: return 2;
    case results::Status::kPass: return 1;
    case results::Status::kSkip: return 0;
  }
  return 3;
}

std::size_t index_of(std::map<std::string, std::size_t>& index, std::vector<std::string>& names,
                     const std::string& name) {
  auto [it, added] = index.try_emplace(name, names.size());
  if (added) names.push_back(name);
  return it->second;
}

}  // namespace

std::string check_id(const results::CheckResult& r) {
  return r.check ? r.check->id : "?";
}

results::Status cell_status(results::Status a, results::Status b) {
  return rank(a) >= rank(b) ? a : b;
}

Matrix fleet_matrix(const results::RunReport& report) {
  Matrix m;
  for (const auto& s : report.scenarios) {
    for (const auto& t : s.targets) index_of(m.target_index, m.targets, t);
    for (const auto& r : s.results) {
      index_of(m.target_index, m.targets, r.target);
      index_of(m.check_index, m.checks, check_id(r));
    }
  }
  m.cells.assign(m.targets.size(), std::vector<std::optional<results::Status>>(m.checks.size()));
  m.failures.assign(m.targets.size(), 0);
  for (const auto& s : report.scenarios) {
    for (const auto& r : s.results) {
      const auto ti = m.target_index.at(r.target), ci = m.check_index.at(check_id(r));
      auto& cell = m.cells[ti][ci];
      cell = cell ? cell_status(*cell, r.verdict.status) : r.verdict.status;
      if (r.verdict.status == results::Status::kFail) ++m.failures[ti];
    }
  }
  return m;
}

}  // namespace vantage::reports
