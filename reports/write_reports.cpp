#include "reports/write_reports.hpp"

#include <string>

#include "core/error.hpp"
#include "reports/atomic_write.hpp"

namespace vantage::reports {

std::vector<WrittenReport> write_reports(const results::RunReport& report,
                                         const ReportOptions& options) {
  struct Job {
    const Format* format;
    std::filesystem::path path;
  };
  std::vector<Job> jobs;
  if (options.report_dir) {
    const auto& dir = *options.report_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw SystemError("cannot create report directory " + dir.string(), ec.value());
    for (const auto& f : formats())
      if (f.default_file) jobs.push_back({&f, dir / f.default_file});
  }
  for (const auto& [name, path] : options.files)
    if (!find_format(name)) throw UsageError("no report format is called " + name);
  for (const auto& f : formats()) {
    auto it = options.files.find(f.name);
    if (it != options.files.end()) jobs.push_back({&f, it->second});
  }

  // Each format rendered once, and its text freed after its last file: a
  // fleet's reports are tens of MB each, and holding all of them at once was
  // a third of the run's peak memory.
  std::map<const Format*, std::size_t> uses;
  for (const auto& job : jobs) ++uses[job.format];
  std::map<const Format*, std::string> rendered;
  std::vector<WrittenReport> written;
  for (const auto& job : jobs) {
    const Format& f = *job.format;
    if (f.write) {
      f.write(report, job.path, options.render);
    } else if (f.stream) {
      write_file_atomic(job.path, [&](const TextSink& sink) { f.stream(report, sink); });
    } else {
      auto it = rendered.find(&f);
      if (it == rendered.end()) it = rendered.emplace(&f, f.render(report, options.render)).first;
      write_file_atomic(job.path, it->second);
      if (--uses[&f] == 0) rendered.erase(it);
    }
    written.push_back({f.name, job.path});
  }
  return written;
}

}  // namespace vantage::reports
