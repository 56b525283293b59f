#pragma once
// What the tls tests read from a scan. A suite set from a scan that was cut
// short is a subset with no warning, so a test that compares sets asks
// complete_scan() first: the comparison is then about the scanner, not about
// whether the link's silences fit the deadline.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "probes/tls_probe.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::testing {

inline const probes::TlsObservation& tls_obs(const CheckRun& r) {
  return static_cast<const probes::TlsObservation&>(*r.obs);
}

inline std::set<std::uint16_t> suites_of(const probes::TlsObservation& o, tls::Version v) {
  std::set<std::uint16_t> out;
  for (const auto& vr : o.scan.versions)
    if (vr.version == v)
      for (const auto& s : vr.suites) out.insert(s.code);
  return out;
}

// Every version settled and every enumeration ended; else the evidence.
inline ::testing::AssertionResult complete_scan(const probes::TlsObservation& o) {
  for (const auto& vr : o.scan.versions)
    if (vr.enumeration_truncated || !vr.determined())
      return ::testing::AssertionFailure()
             << tls::to_string(vr.version) << " is "
             << (vr.determined() ? "cut short" : "undetermined") << "\n"
             << o.evidence().dump(1);
  return ::testing::AssertionSuccess();
}

// Patience for a scan of every suite OpenSSL has (ALL:@SECLEVEL=0, about 100
// hellos) against s_server, which serves one connection at a time: on the
// lossy profile it takes about 16 s, so the default 15 s + the profile's
// extra cuts it short under load.
inline constexpr std::chrono::milliseconds kWholeCatalogScan{60000};

}  // namespace vantage::testing
