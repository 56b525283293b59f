// The acceptance flags: bad values are usage errors (64), bad files are bad
// input (65) before anything is sent; `vantage diff` compares two reports.
#include "cli/acceptance_options.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/topology.hpp"

namespace vantage::cli {
namespace {

namespace po = boost::program_options;
using testing::run_vantage;
using testing::TempDir;

AcceptanceSettings read(std::vector<std::string> args) {
  po::options_description od;
  add_acceptance_options(od);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(od).run(), vm);
  return read_acceptance_settings(vm);
}

std::string report(const std::string& status) {
  return R"({"format": "vantage-report", "version": 1, "scenarios": [{"name": "s",
    "fingerprint": "f", "targets": [{"name": "rtr", "checks": [
    {"id": "api-plain", "source": "mgmt", "severity": "high", "fingerprint": "c",
     "verdict": {"status": ")" +
         status + R"("}}]}]}]})";
}

TEST(CliAcceptance, FlagsAreCheckedBeforeAnythingRuns) {
  EXPECT_THROW(read({"--fail-on", "severe"}), UsageError);
  EXPECT_THROW(read({"--fail-on-new"}), UsageError);  // new against what?
  EXPECT_EQ(read({"--fail-on", "medium"}).gate.fail_on, "medium");
  TempDir d;
  d.write("not-a-report.json", R"({"vantage": 1})");
  EXPECT_THROW(read({"--baseline", d.file("not-a-report.json")}), ConfigError);
  d.write("w.json", R"({"vantage": 1, "waivers": [{"check": "a"}]})");
  EXPECT_THROW(read({"--waivers", d.file("w.json")}), ConfigError);
  d.write("b.json", report("pass"));
  const auto s = read({"--baseline", d.file("b.json"), "--fail-on-new"});
  EXPECT_TRUE(s.gate.fail_on_new);
  ASSERT_TRUE(s.baseline);
  EXPECT_EQ(s.baseline->entries.size(), 1u);
}

TEST(CliAcceptance, DiffExitsOneOnANewFailureOnly) {
  TempDir d;
  d.write("pass.json", report("pass"));
  d.write("fail.json", report("fail"));
  d.write("waived.json", report("waived"));
  std::string out, err;
  EXPECT_EQ(run_vantage({"diff", d.file("pass.json"), d.file("fail.json")}, &out, &err), 1);
  EXPECT_NE(out.find("1 new failure, 0 fixed"), std::string::npos) << out;
  EXPECT_NE(out.find("new failure  api-plain [mgmt] @ rtr (s) (high)"), std::string::npos) << out;
  EXPECT_EQ(run_vantage({"diff", d.file("pass.json"), d.file("fail.json"), "--fail-on", "critical"},
                        &out, &err),
            0);
  EXPECT_EQ(run_vantage({"diff", d.file("pass.json"), d.file("waived.json")}, &out, &err), 0);
  EXPECT_EQ(run_vantage({"diff", d.file("fail.json"), d.file("pass.json")}, &out, &err), 0);
  EXPECT_NE(out.find("0 new failures, 1 fixed"), std::string::npos) << out;
  EXPECT_EQ(run_vantage({"diff", d.file("pass.json")}, &out, &err), 64);
  EXPECT_EQ(run_vantage({"run", "x.json", "--fail-on-new"}, &out, &err), 64);
}

}  // namespace
}  // namespace vantage::cli
