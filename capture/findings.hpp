#pragma once
// The findings policy (internal to the analyzer): what a finished flow is,
// what it exposed, how severe that is, and the prose an operator reads.
#include <cstdint>
#include <vector>

#include "capture/flow.hpp"
#include "capture/live_flow.hpp"

namespace vantage::capture {

// Sets `r`'s class, TLS witness and notes from what `lf`'s sniffers saw, and
// appends its findings (a plaintext API, exposed credentials, non-TLS on a
// TLS port). `tls_ports` are the API-SSL service ports.
void classify(FlowRecord& r, const LiveFlow& lf, const std::vector<std::uint16_t>& tls_ports,
              std::vector<Finding>& findings);

// 0 for critical, then high, medium; unknown severities last.
int severity_rank(const std::string& severity);

// Most severe first (critical, high, medium), then by flow; stable.
void sort_findings(std::vector<Finding>& findings);

}  // namespace vantage::capture
