#pragma once
// Files compiled into the binary so `vantage demo` works from any directory:
// the shipped hardening and router-state scenarios and the demo router's lab config.
namespace vantage::cli {

extern const char* const kHardeningScenario;  // scenarios/routeros-api-hardening.json
extern const char* const kStateScenario;      // scenarios/routeros-router-state.json
extern const char* const kDemoLabConfig;      // lab/configs/demo.json

}  // namespace vantage::cli
