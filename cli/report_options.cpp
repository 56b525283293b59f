#include "cli/report_options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace vantage::cli {

namespace po = boost::program_options;

void add_report_options(po::options_description& od) {
  std::string files;
  for (const auto& f : reports::formats())
    if (f.default_file) files += (files.empty() ? "" : ", ") + std::string(f.default_file);
  od.add_options()("report-dir", po::value<std::string>(), ("write " + files + " here").c_str());
  for (const auto& f : reports::formats()) {
    if (!f.default_file) continue;
    od.add_options()(f.name, po::value<std::string>(),
                     ("write " + std::string(f.what) + " to FILE").c_str());
  }
  od.add_options()("no-color", "never colour the console report")(
      "verbose,v", "list every finding of a check on the console, not only their count by kind");
}

reports::ReportOptions read_report_options(const po::variables_map& vm) {
  reports::ReportOptions o;
  if (vm.count("report-dir")) o.report_dir = vm["report-dir"].as<std::string>();
  for (const auto& f : reports::formats())
    if (f.default_file && vm.count(f.name)) o.files[f.name] = vm[f.name].as<std::string>();
  o.render.verbose = vm.count("verbose") > 0;
  o.render.color =
      !vm.count("no-color") && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return o;
}

void write_report_files(const results::RunReport& report, const reports::ReportOptions& options) {
  for (const auto& w : reports::write_reports(report, options))
    std::cout << w.kind << " report: " << w.path.string() << "\n";
}

}  // namespace vantage::cli
