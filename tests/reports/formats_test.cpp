// The format table: every format renders the sample report exactly as its
// golden, tests/data/reports/sample.<name> or sample.<name>.<ext>. A format
// added to the table without a golden fails here; nothing else needs a line.
#include "reports/formats.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "fixture.hpp"
#include "reports/write_reports.hpp"

namespace vantage::reports {
namespace {

std::string golden_of(const std::string& name) {
  const std::string exact = "sample." + name;
  for (const auto& e : std::filesystem::directory_iterator(testing::golden_path(""))) {
    const std::string file = e.path().filename().string();
    if (file == exact || file.rfind(exact + ".", 0) == 0) return file;
  }
  return "";
}

TEST(ReportsFormats, TheTableIsWellFormed) {
  std::set<std::string> names, files;
  for (const auto& f : formats()) {
    EXPECT_TRUE(names.insert(f.name).second) << "two formats are called " << f.name;
    if (f.default_file) {
      EXPECT_TRUE(files.insert(f.default_file).second) << f.default_file;
    }
    EXPECT_NE(f.render == nullptr, f.write == nullptr) << f.name << ": render or write, one";
    EXPECT_NE(std::string(f.what), "") << f.name;
    EXPECT_EQ(find_format(f.name), &f);
  }
  EXPECT_EQ(find_format("no-such-format"), nullptr);
  EXPECT_NE(find_format("console"), nullptr);
}

TEST(ReportsFormats, EveryFormatMatchesItsGolden) {
  auto s = testing::sample_report();
  for (const auto& f : formats()) {
    if (!f.render) continue;  // a write() format brings its own test
    const std::string golden = golden_of(f.name);
    ASSERT_NE(golden, "") << "no tests/data/reports/sample." << f.name << "[.ext] for " << f.name;
    const std::string text = testing::normalize_version(f.render(s.report, {}));
    EXPECT_EQ(testing::golden_mismatch(golden, text), "") << f.name;
  }
}

TEST(ReportsFormats, QuietConsoleIsTheSummaryLine) {
  auto s = testing::sample_report();
  EXPECT_EQ(find_format("console")->render(s.report, {.color = true, .quiet = true}),
            "2 passed, 1 failed, 1 errored, 1 skipped\n");
}

// --report-dir writes every format that has a file, under its default name.
TEST(ReportsFormats, ReportDirHoldsEveryDefaultFile) {
  auto s = testing::sample_report();
  const auto dir =
      std::filesystem::temp_directory_path() / ("vantage-formats-" + std::to_string(::getpid()));
  ReportOptions opt;
  opt.report_dir = dir;
  const auto written = write_reports(s.report, opt);
  std::size_t with_file = 0;
  for (const auto& f : formats()) {
    if (!f.default_file) continue;
    EXPECT_TRUE(std::filesystem::exists(dir / f.default_file)) << f.default_file;
    EXPECT_EQ(written.at(with_file).kind, f.name);
    ++with_file;
  }
  EXPECT_EQ(written.size(), with_file);
  std::filesystem::remove_all(dir);
}

// A format that streams its file writes exactly the text it renders, in
// pieces: a report of several megabytes (the sample's checks many times
// over) is handed on in more than one.
TEST(ReportsFormats, AStreamedFileIsTheRenderedText) {
  auto s = testing::sample_report();
  auto& sc = s.report.scenarios.at(0);
  const auto one = sc.results;
  while (sc.results.size() < 6000) sc.results.insert(sc.results.end(), one.begin(), one.end());
  const auto dir =
      std::filesystem::temp_directory_path() / ("vantage-stream-" + std::to_string(::getpid()));
  int streamed = 0;
  for (const auto& f : formats()) {
    if (!f.stream) continue;
    ++streamed;
    ASSERT_TRUE(f.render) << f.name << ": a streamed format renders too";
    const std::string text = f.render(s.report, {});
    ASSERT_GT(text.size(), 2u << 20) << f.name;
    std::size_t pieces = 0;
    std::string joined;
    f.stream(s.report, [&](std::string_view p) {
      ++pieces;
      joined.append(p);
    });
    EXPECT_GT(pieces, 1u) << f.name;
    EXPECT_EQ(joined, text) << f.name;
    ReportOptions opt;
    opt.files[f.name] = dir / "out";
    std::filesystem::create_directories(dir);
    write_reports(s.report, opt);
    EXPECT_EQ(testing::read_file((dir / "out").string()), text) << f.name;
  }
  EXPECT_GE(streamed, 1);  // the JSON report
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vantage::reports
