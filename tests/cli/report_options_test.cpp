// The report flags come from the format table: a --<name> FILE flag and a
// --report-dir file for every format with a file, and nothing else.
#include "cli/report_options.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.hpp"

namespace vantage::cli {
namespace {

namespace po = boost::program_options;

TEST(CliReportOptions, AFlagPerFormatWithAFile) {
  po::options_description od;
  add_report_options(od);
  std::ostringstream help;
  help << od;
  for (const auto& f : reports::formats()) {
    const bool flag = od.find_nothrow(f.name, false) != nullptr;
    EXPECT_EQ(flag, f.default_file != nullptr) << f.name;
    if (f.default_file) {
      EXPECT_NE(help.str().find(f.default_file), std::string::npos) << help.str();
    }
  }
  EXPECT_NE(od.find_nothrow("report-dir", false), nullptr);
  EXPECT_NE(od.find_nothrow("no-color", false), nullptr);
}

TEST(CliReportOptions, ReadsEveryFileFlag) {
  po::options_description od;
  add_report_options(od);
  po::variables_map vm;
  const char* argv[] = {"x",      "--json", "a.json",       "--junit", "a.xml",
                        "--html", "a.html", "--report-dir", "out",     "--no-color"};
  po::store(po::parse_command_line(10, argv, od), vm);
  const auto o = read_report_options(vm);
  EXPECT_EQ(o.files.size(), 3u);
  EXPECT_EQ(o.files.at("junit"), "a.xml");
  EXPECT_EQ(o.report_dir, std::filesystem::path("out"));
  EXPECT_FALSE(o.render.color);
}

TEST(CliReportOptions, AFormatNotInTheTableIsAUsageError) {
  reports::ReportOptions o;
  o.files["sarif-typo"] = "x";
  EXPECT_THROW(reports::write_reports(results::RunReport{}, o), UsageError);
}

}  // namespace
}  // namespace vantage::cli
