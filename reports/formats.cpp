#include "reports/formats.hpp"

#include "reports/console.hpp"
#include "reports/html.hpp"
#include "reports/json_report.hpp"
#include "reports/junit.hpp"
#include "reports/sarif.hpp"

namespace vantage::reports {

using results::RunReport;

// The format table: adding one is its files and a line here.
const std::vector<Format>& formats() {
  static const std::vector<Format> table = {
      {"console", "the console report", nullptr, console_text},
      {"json", "the JSON report", "report.json",
       [](const RunReport& r, const RenderOptions&) { return render_json_text(r); }, nullptr,
       write_json_text},
      {"junit", "the JUnit XML report", "report.xml",
       [](const RunReport& r, const RenderOptions&) { return render_junit(r); }},
      {"html", "the HTML report", "report.html",
       [](const RunReport& r, const RenderOptions&) { return render_html(r); }},
      {"sarif", "the SARIF 2.1.0 report", "report.sarif",
       [](const RunReport& r, const RenderOptions&) { return render_sarif(r); }},
  };
  return table;
}

const Format* find_format(std::string_view name) {
  for (const auto& f : formats())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace vantage::reports
