#pragma once
// The report flags, made from the format table (reports/formats.hpp), for
// every command that produces a run report (run, analyze, watch): --report-dir
// DIR, --<format> FILE for each format with a file, --no-color.
#include <boost/program_options.hpp>

#include "reports/write_reports.hpp"

namespace vantage::cli {

void add_report_options(boost::program_options::options_description& od);
// Files, directory and colour (isatty(stdout), unless --no-color or NO_COLOR).
// quiet is left false: each command says what it means by it.
reports::ReportOptions read_report_options(const boost::program_options::variables_map& vm);

// Writes the files and prints "<format> report: PATH" for each.
void write_report_files(const results::RunReport& report, const reports::ReportOptions& options);

}  // namespace vantage::cli
