#pragma once
// The report formats, as one table. The CLI makes a `--<name> FILE` flag of
// every entry that has a default_file, --report-dir writes each default_file,
// and write_reports() loops over the table; nothing else names a format.
// Adding a format: its own files, a line in formats.cpp, a line in
// CMakeLists.txt (reports/README.md says the rest).
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "results/result.hpp"

namespace vantage::reports {

// How the person asked for the text; formats ignore what does not apply.
struct RenderOptions {
  bool color = false;    // ANSI colours (console; the CLI passes isatty(stdout))
  bool quiet = false;    // the summary line only (console)
  bool verbose = false;  // every finding on its own line (console, -v)
};

struct Format {
  const char* name;          // "json": the --json FILE flag, and "json report: PATH"
  const char* what;          // "the JSON report": the flag's help
  const char* default_file;  // "report.json" in --report-dir; nullptr: stdout only (console)
  // Exactly one of the two. render: the whole report as one text, written
  // atomically. write: a format that is not one text (several files, a
  // directory); it writes `path` itself, atomically per file.
  std::string (*render)(const results::RunReport&, const RenderOptions&) = nullptr;
  void (*write)(const results::RunReport&, const std::filesystem::path&,
                const RenderOptions&) = nullptr;
  // Optional beside render: the same text in pieces, which the file writer
  // takes instead, so a fleet's report is never all in memory at once.
  void (*stream)(const results::RunReport&, const std::function<void(std::string_view)>&) = nullptr;
};

// In the order files are written and flags are listed; "console" first.
const std::vector<Format>& formats();
// nullptr for a name not in the table.
const Format* find_format(std::string_view name);

}  // namespace vantage::reports
