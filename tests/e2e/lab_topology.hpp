#pragma once
// The emulated RouterOS in a real namespace topology, shared by the e2e tests
// that run shipped scenarios against it:
//
//   mgmt (192.0.2.10, .20) -- 192.0.2.1 [router] 203.0.113.1 -- outside (203.0.113.10)
//
// The router namespace runs `vantage lab` on the real ports and the nft
// ruleset its config's firewall implies (`vantage lab --print-nft`); each link
// carries the active link profile on the router's side.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/link_profile.hpp"
#include "tests/support/topology.hpp"

namespace vantage::testing {

// The lab's fixture passwords (each must appear in no output).
extern const std::string kAuditPassword;
extern const std::string kAdminPassword;
extern const std::string kLegitPassword;

// The hardening guide's router, with the certificate pair `cert`.pem/.key
// from `certs` (tests/e2e/make_hardening_certs.sh).
nlohmann::json hardened_lab(const std::string& certs, const std::string& cert);

class LabTopology {
 public:
  LabTopology();  // namespaces, links, addresses and routes
  // Writes `lab`, loads its nft ruleset in the router namespace and starts
  // `vantage lab` there; throws unless api-ssl listens within 10 s.
  void start(const nlohmann::json& lab);
  // `vantage run` of `scenarios` (paths under scenarios/) against the router
  // with this topology's vars plus `extra` ("k=v"), VANTAGE_PASSWORD the
  // audit password and reports in out/. Returns the exit code.
  int run(const std::vector<std::string>& scenarios, const std::string& certs,
          const std::vector<std::string>& extra, std::string* out, std::string* err) const;
  // stdout, stderr and the lab's log, for a failure message.
  std::string diag(const std::string& out, const std::string& err) const;
  nlohmann::json report() const;  // out/report.json

  Netns router{"rtr"}, mgmt{"mgmt"}, outside{"out"};
  TempDir tmp;

 private:
  std::unique_ptr<Process> lab_;  // stopped first (declared last)
};

}  // namespace vantage::testing
