#include "reports/html_matrix.hpp"

#include <fmt/format.h>

#include "core/plural.hpp"
#include "reports/format.hpp"

namespace vantage::reports {

// Sorts the matrix's rows when a column header's button is clicked: by name
// (A-Z first), or by failures (most first, ties by name); a second click
// reverses. aria-sort marks the column. No other script is on the page.
const char* const kMatrixScript = R"js(
(()=>{const m=document.getElementById('matrix');if(!m)return;const b=m.tBodies[0];
const name=r=>r.cells[0].textContent,fails=r=>+r.cells[1].textContent;
for(const btn of m.querySelectorAll('button[data-sort]'))btn.addEventListener('click',()=>{
const th=btn.parentNode,k=btn.dataset.sort,cur=th.getAttribute('aria-sort');
const asc=cur?cur==='descending':k==='name',s=asc?1:-1;
for(const o of m.querySelectorAll('th[aria-sort]'))o.removeAttribute('aria-sort');
th.setAttribute('aria-sort',asc?'ascending':'descending');
const by=(x,y)=>k==='fail'?(fails(x)-fails(y))*s||name(x).localeCompare(name(y),undefined,{numeric:true}):
name(x).localeCompare(name(y),undefined,{numeric:true})*s;
b.append(...[...b.rows].sort(by));});})();
)js";
const char* const kMatrixScriptHash = "sha256-xwWnVc0uxULBzU+pnUihsKJITccEQ+/Aon4HZug4Yak=";

namespace {

const char* letter(results::Status s) {
  switch (s) {
    case results::Status::kPass: return "P";
    case results::Status::kFail: return "F";
    case results::Status::kError: return "E";
    case results::Status::kSkip: return "S";
    case results::Status::kWaived: return "W";
  }
  return "E";
}

}  // namespace

std::string target_anchor(std::size_t t) {
  return fmt::format("t{}", t);
}

std::string cell_anchor(std::size_t t, std::size_t c) {
  return fmt::format("c{}-{}", t, c);
}

std::string matrix_section(const Matrix& m) {
  if (m.targets.size() < 2) return {};
  std::string out = fmt::format(
      "<section id=\"fleet\"><h2>Fleet: {} &times; {}</h2>\n<p class=\"meta\">Each cell is "
      "the check's verdict on that target (its worst over sources): P pass, F fail, E error, "
      "W waived, S skipped, blank: not run. A cell links to its row below; the headers "
      "sort.</p>\n<div class=\"mx\"><table id=\"matrix\">\n<thead><tr><th>"
      "<button data-sort=\"name\">Target</button></th><th><button data-sort=\"fail\">"
      "Failures</button></th>",
      counted(m.targets.size(), "target"), counted(m.checks.size(), "check"));
  for (const auto& c : m.checks) out += "<th><span>" + html_escape(c) + "</span></th>";
  out += "</tr></thead>\n<tbody>\n";
  // Implied end tags and unquoted attribute values: bytes per cell matter
  // at a thousand routers times every check.
  for (std::size_t t = 0; t < m.targets.size(); ++t) {
    out += fmt::format("<tr><th><a href=#{}>{}</a><td>{}", target_anchor(t),
                       html_escape(m.targets[t]), m.failures[t]);
    for (std::size_t c = 0; c < m.checks.size(); ++c) {
      const auto& cell = m.cells[t][c];
      if (!cell) {
        out += "<td>";
        continue;
      }
      out += fmt::format("<td class={}><a href=#{}>{}</a>", results::to_string(*cell),
                         cell_anchor(t, c), letter(*cell));
    }
    out += "\n";
  }
  return out + "</tbody>\n</table></div>\n</section>\n";
}

std::size_t matrix_size_bound(const Matrix& m) {
  // A cell: <td class=waived><a href=#cT-C>W</a> is 34 bytes and the digits.
  std::size_t digits = fmt::format("{}{}", m.targets.size(), m.checks.size()).size();
  std::size_t n = 1024 + m.targets.size() * m.checks.size() * (34 + digits);
  // html_escape makes a character at most 6 bytes (&quot;).
  for (const auto& t : m.targets) n += 48 + 6 * t.size() + digits;
  for (const auto& c : m.checks) n += 24 + 6 * c.size();
  return n;
}

}  // namespace vantage::reports
