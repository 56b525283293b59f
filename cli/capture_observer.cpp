#include "cli/capture_observer.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "scenarios/scenario.hpp"

namespace vantage::cli {

namespace {

std::string private_run_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/vantage-run-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw SystemError("capture: cannot create a directory for the pcap under " + tmpl, errno);
  return tmpl;
}

}  // namespace

std::unique_ptr<CaptureObserver> CaptureObserver::for_plan(
    const std::vector<scenarios::Scenario>& plan, const std::string& report_dir) {
  auto cfg = scenarios::plan_capture(plan);  // throws when two scenarios disagree
  if (!cfg) return nullptr;
  auto obs = std::make_unique<CaptureObserver>();
  obs->cfg_ = std::move(*cfg);
  namespace fs = std::filesystem;
  fs::path file = obs->cfg_.file;
  // A relative pcap goes under the report directory; without one, into a new
  // private directory (named on the console), never the working directory.
  if (file.is_relative())
    file = fs::path(report_dir.empty() ? private_run_dir() : report_dir) / file;
  fs::create_directories(fs::absolute(file).parent_path());
  obs->cfg_.file = fs::absolute(file).lexically_normal().string();
  return obs;
}

void CaptureObserver::start(const std::vector<scenarios::Scenario>& plan) {
  std::vector<capture::CaptureTarget> targets;
  for (const auto& sc : plan) {
    for (const auto& t : sc.targets) {
      for (const auto& c : sc.checks) {
        if (c.common.port == 0) continue;
        targets.push_back({t.host, c.common.port});
      }
    }
  }
  try {
    live_ = capture::RunCapture::start(cfg_, targets);
  } catch (const PermissionError& e) {
    failed_ = capture::RunEvidence::failed(e.what(), true);
    throw;  // the engine records it (exit 77) and runs every other check
  } catch (const Error& e) {
    failed_ = capture::RunEvidence::failed(e.what());
  }
}

void CaptureObserver::stop(probes::RunState& run, results::RunReport& report) {
  std::shared_ptr<capture::RunEvidence> ev = live_ ? live_->stop() : failed_;
  if (!ev) ev = capture::RunEvidence::failed("the capture never started");
  if (live_ && !ev->file.empty()) report.artifacts.push_back({"pcap", ev->file});
  run.set_evidence<capture::RunEvidence>(ev);
}

}  // namespace vantage::cli
