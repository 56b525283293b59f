#pragma once
// Writes the requested report files, each atomically. The CLI calls this
// after the run; the console report is printed separately.
#include <filesystem>
#include <optional>
#include <vector>

#include "results/result.hpp"

namespace vantage::reports {

struct ReportOptions {
  std::optional<std::filesystem::path> json;   // --json FILE
  std::optional<std::filesystem::path> junit;  // --junit FILE
  std::optional<std::filesystem::path> html;   // --html FILE
  // --report-dir DIR: report.json, report.xml and report.html inside it
  // (the directory is created when missing).
  std::optional<std::filesystem::path> report_dir;
};

struct WrittenReport {
  std::string kind;  // "json" | "junit" | "html"
  std::filesystem::path path;
};

// Renders each format once and writes every requested file. Throws
// vantage::SystemError (path and reason in the message) on the first write
// that fails; files already written stay written and are complete.
std::vector<WrittenReport> write_reports(const results::RunReport& report,
                                         const ReportOptions& options);

}  // namespace vantage::reports
