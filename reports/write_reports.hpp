#pragma once
// Writes the requested report files, each atomically, for every format of the
// table (formats.hpp). The CLI calls this after the run; it prints the
// console report itself, first, so a file that cannot be written never hides
// the verdicts.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/formats.hpp"
#include "results/result.hpp"

namespace vantage::reports {

struct ReportOptions {
  // Format name -> file: --json FILE, --junit FILE, --html FILE, ...
  std::map<std::string, std::filesystem::path> files;
  // --report-dir DIR: every format's default_file inside it (report.json,
  // report.xml, report.html); the directory is created when missing.
  std::optional<std::filesystem::path> report_dir;
  RenderOptions render;
};

struct WrittenReport {
  std::string kind;  // the format's name: "json" | "junit" | "html" | ...
  std::filesystem::path path;
};

// Renders each format once and writes every requested file: the report
// directory's first, then the named files, each in table order. Throws
// vantage::SystemError (path and reason in the message) on the first write
// that fails, or vantage::UsageError for a name not in the table; files
// already written stay written and are complete.
std::vector<WrittenReport> write_reports(const results::RunReport& report,
                                         const ReportOptions& options);

}  // namespace vantage::reports
