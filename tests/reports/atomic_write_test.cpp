#include "reports/atomic_write.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "fixture.hpp"
#include "reports/write_reports.hpp"

namespace fs = std::filesystem;

namespace vantage::reports {
namespace {

// A fresh directory per test, removed afterwards even when the test fails.
class ReportsAtomicWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vantage-atomic-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  std::vector<std::string> entries(const fs::path& d) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path dir_;
};

// Runs fn in a child process (it may drop privileges or set rlimits) and
// returns its exit status: fn returns the child's exit code.
template <class Fn>
int in_child(Fn fn) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Child exit codes for "did write_file_atomic throw the right thing".
enum : int { kThrewWithPath = 0, kNoThrow = 1, kWrongMessage = 2, kOtherException = 3, kSetup = 4 };

int expect_system_error(const fs::path& target, std::string_view data, std::string_view reason) {
  try {
    write_file_atomic(target, data);
    return kNoThrow;
  } catch (const SystemError& e) {
    std::string msg = e.what();
    bool ok =
        msg.find(target.string()) != std::string::npos && msg.find(reason) != std::string::npos;
    return ok ? kThrewWithPath : kWrongMessage;
  } catch (...) {
    return kOtherException;
  }
}

TEST_F(ReportsAtomicWrite, WritesReplacesAndLeavesNoTempFile) {
  auto target = dir_ / "report.json";
  write_file_atomic(target, "first");
  EXPECT_EQ(testing::read_file(target.string()), "first");
  write_file_atomic(target, std::string(100000, 'x'));
  EXPECT_EQ(testing::read_file(target.string()), std::string(100000, 'x'));
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"report.json"});
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(ReportsAtomicWrite, EmptyDataGivesAnEmptyFile) {
  auto target = dir_ / "empty.xml";
  write_file_atomic(target, "");
  EXPECT_TRUE(fs::exists(target));
  EXPECT_EQ(fs::file_size(target), 0u);
}

TEST_F(ReportsAtomicWrite, MissingDirectoryIsAClearError) {
  auto target = dir_ / "no-such-dir" / "report.xml";
  try {
    write_file_atomic(target, "x");
    FAIL() << "no exception";
  } catch (const SystemError& e) {
    EXPECT_EQ(e.code(), ENOENT);
    EXPECT_EQ(std::string(e.what()),
              "cannot write report " + target.string() + ": cannot create a temp file in " +
                  (dir_ / "no-such-dir").string() + ": No such file or directory");
  }
  EXPECT_EQ(entries(dir_), std::vector<std::string>{});
}

TEST_F(ReportsAtomicWrite, ParentIsAFileIsAClearError) {
  std::ofstream(dir_ / "plain") << "x";
  auto target = dir_ / "plain" / "report.xml";
  EXPECT_THROW(write_file_atomic(target, "x"), SystemError);
  EXPECT_EQ(testing::read_file((dir_ / "plain").string()), "x");
}

TEST_F(ReportsAtomicWrite, TargetIsADirectoryIsAClearErrorAndCleansUp) {
  fs::create_directories(dir_ / "report.json" / "inside");
  EXPECT_EQ(expect_system_error(dir_ / "report.json", "data", "rename into place"), kThrewWithPath);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"report.json"});
}

// An unwritable directory. Root ignores permission bits, so as root the
// child drops to nobody first; the write must fail either way.
TEST_F(ReportsAtomicWrite, UnwritableDirectoryThrowsWithPath) {
  auto target = dir_ / "report.xml";
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  int rc = in_child([&] {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return int(kSetup);
    return expect_system_error(target, "data", "Permission denied");
  });
  EXPECT_EQ(rc, kThrewWithPath);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{});
}

// A write that fails half-way (here: the file size limit, as a full disk
// would) leaves the old report intact and no temp file behind.
TEST_F(ReportsAtomicWrite, FailedWriteKeepsOldFileAndLeavesNoPartialFile) {
  auto target = dir_ / "report.json";
  write_file_atomic(target, "old report");
  int rc = in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim {
      4096, 4096
    };
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) return int(kSetup);
    return expect_system_error(target, std::string(1 << 20, 'n'), "File too large");
  });
  EXPECT_EQ(rc, kThrewWithPath);
  EXPECT_EQ(testing::read_file(target.string()), "old report");
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"report.json"});
}

// A text written in pieces whose producer fails part way: the old report
// stays, and no temp file is left.
TEST_F(ReportsAtomicWrite, AProducerThatThrowsLeavesTheOldFileAndNoTempFile) {
  const auto target = dir_ / "report.json";
  write_file_atomic(target, "old report");
  EXPECT_THROW(write_file_atomic(target,
                                 [](const TextSink& sink) {
                                   sink("half of a ");
                                   throw std::runtime_error("the renderer failed");
                                 }),
               std::runtime_error);
  EXPECT_EQ(testing::read_file(target.string()), "old report");
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"report.json"});
  write_file_atomic(target, [](const TextSink& sink) {
    sink("new ");
    sink("report");
  });
  EXPECT_EQ(testing::read_file(target.string()), "new report");
}

TEST_F(ReportsAtomicWrite, WriteReportsWritesTheRequestedSet) {
  auto s = testing::sample_report();
  ReportOptions opt;
  opt.report_dir = dir_ / "out" / "nested";
  opt.files["junit"] = dir_ / "junit.xml";
  auto written = write_reports(s.report, opt);
  // Every default file of the table (a new format needs no change here), then the named one.
  std::vector<std::string> defaults;
  for (const auto& f : formats())
    if (f.default_file) defaults.push_back(f.default_file);
  ASSERT_EQ(written.size(), defaults.size() + 1);
  std::sort(defaults.begin(), defaults.end());
  EXPECT_EQ(entries(*opt.report_dir), defaults);
  EXPECT_EQ(testing::read_file((dir_ / "junit.xml").string()),
            testing::read_file((*opt.report_dir / "report.xml").string()));
  EXPECT_TRUE(json::accept(testing::read_file((*opt.report_dir / "report.json").string())));
  EXPECT_EQ(written[0].kind, "json");
  EXPECT_EQ(written.back().path, dir_ / "junit.xml");
}

TEST_F(ReportsAtomicWrite, WriteReportsFailsClearlyWhenTheDirectoryCannotBeMade) {
  std::ofstream(dir_ / "file") << "x";
  auto s = testing::sample_report();
  ReportOptions opt;
  opt.report_dir = dir_ / "file" / "sub";
  try {
    write_reports(s.report, opt);
    FAIL() << "no exception";
  } catch (const SystemError& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "file" / "sub").string()), std::string::npos)
        << e.what();
  }
}

TEST_F(ReportsAtomicWrite, NothingRequestedWritesNothing) {
  auto s = testing::sample_report();
  EXPECT_TRUE(write_reports(s.report, ReportOptions{}).empty());
  EXPECT_EQ(entries(dir_), std::vector<std::string>{});
}

}  // namespace
}  // namespace vantage::reports
