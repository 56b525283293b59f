#pragma once
// The fleet at a glance: one row per target, one column per check id, each
// cell the verdict that check came to on that target. Pure: the HTML report
// draws it (html_matrix.*); the records are the run report's.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace vantage::reports {

struct Matrix {
  std::vector<std::string> targets;  // in report order (scenario, then target order)
  std::vector<std::string> checks;   // check ids, in first-seen order
  // cells[target][check]; nullopt: that check did not run on that target.
  std::vector<std::vector<std::optional<results::Status>>> cells;
  std::vector<int> failures;  // per target: its failed results (waived ones are not)
  std::map<std::string, std::size_t> target_index, check_index;
};

// The status a cell shows for several results of one target and check (one
// per source, or per scenario): fail, then error, then waived, then pass,
// then skip. A failure anywhere is the cell's; so is missing evidence
// (error) before any pass: nothing good hides a problem.
results::Status cell_status(results::Status a, results::Status b);

// The result's check id; "?" for a result without its check (still shown).
std::string check_id(const results::CheckResult& r);

Matrix fleet_matrix(const results::RunReport& report);

}  // namespace vantage::reports
