#pragma once
// Wires the run-wide packet capture into the engine: one capture for the
// whole run, placed as the scenario's "capture" object says, its pcap written
// next to the reports and linked from them.
#include <memory>
#include <string>
#include <vector>

#include "capture/run_capture.hpp"
#include "engine/engine.hpp"

namespace vantage::cli {

class CaptureObserver final : public engine::RunObserver {
 public:
  // nullptr when no scenario of the plan asks for a capture. Throws
  // ConfigError when two scenarios ask for different captures
  // (scenarios::plan_capture).
  static std::unique_ptr<CaptureObserver> for_plan(const std::vector<scenarios::Scenario>& plan,
                                                   const std::string& report_dir);
  void start(const std::vector<scenarios::Scenario>& plan) override;
  void stop(probes::RunState& run, results::RunReport& report) override;

 private:
  capture::CaptureConfig cfg_;
  std::unique_ptr<capture::RunCapture> live_;
  std::shared_ptr<capture::RunEvidence> failed_;
};

}  // namespace vantage::cli
