#include "reports/write_reports.hpp"

#include <string>

#include "core/error.hpp"
#include "reports/atomic_write.hpp"
#include "reports/html.hpp"
#include "reports/json_report.hpp"
#include "reports/junit.hpp"

namespace vantage::reports {

std::vector<WrittenReport> write_reports(const results::RunReport& report,
                                         const ReportOptions& options) {
  struct Job {
    const char* kind;
    std::filesystem::path path;
  };
  std::vector<Job> jobs;
  if (options.report_dir) {
    const auto& dir = *options.report_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw SystemError("cannot create report directory " + dir.string(), ec.value());
    jobs.push_back({"json", dir / "report.json"});
    jobs.push_back({"junit", dir / "report.xml"});
    jobs.push_back({"html", dir / "report.html"});
  }
  if (options.json) jobs.push_back({"json", *options.json});
  if (options.junit) jobs.push_back({"junit", *options.junit});
  if (options.html) jobs.push_back({"html", *options.html});

  std::string json_text, junit_text, html_text;  // rendered on first use
  std::vector<WrittenReport> written;
  for (const auto& job : jobs) {
    std::string_view kind = job.kind;
    const std::string* text = nullptr;
    if (kind == "json") {
      if (json_text.empty()) json_text = render_json_text(report);
      text = &json_text;
    } else if (kind == "junit") {
      if (junit_text.empty()) junit_text = render_junit(report);
      text = &junit_text;
    } else {
      if (html_text.empty()) html_text = render_html(report);
      text = &html_text;
    }
    write_file_atomic(job.path, *text);
    written.push_back({job.kind, job.path});
  }
  return written;
}

}  // namespace vantage::reports
