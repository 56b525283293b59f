#pragma once
// The HTML report's fleet matrix (reports/matrix.hpp drawn): a table of
// targets x checks at the top of a report of several targets, each cell a
// verdict's colour and letter linking to its row below, rows sortable by
// name or by failures with the page's one script (admitted by its hash).
#include <string>

#include "reports/matrix.hpp"

namespace vantage::reports {

// The script and its CSP source ('sha256-...', base64): a script edit needs
// a new hash, which reports_html_test checks.
extern const char* const kMatrixScript;
extern const char* const kMatrixScriptHash;

// Where the matrix links: target `t`'s heading and its first row of check `c`.
std::string target_anchor(std::size_t t);
std::string cell_anchor(std::size_t t, std::size_t c);

// The section, or "" when the report has fewer than two targets. Markup per
// cell is kept tiny (unquoted attributes, implied end tags): a 1000-router
// fleet's matrix stays within matrix_size_bound().
std::string matrix_section(const Matrix& m);

// The bound reports_html_test holds matrix_section to: bytes per cell and
// per row, the names and ids themselves, and a fixed part.
std::size_t matrix_size_bound(const Matrix& m);

}  // namespace vantage::reports
