#include "probes/capture_probe.hpp"
#include "probes/certificate_probe.hpp"
#include "probes/probe.hpp"
#include "probes/rest/rest_probe.hpp"
#include "probes/routeros_api/routeros_api_probe.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"
#include "probes/tcp_probe.hpp"
#include "probes/tls_probe.hpp"

namespace vantage::probes {

// One line per probe. Adding a probe touches, outside its own files and tests:
// this file (an include and a line), probes/CMakeLists.txt (its sources) and
// README.md's probe table; scenarios/schema.json is regenerated from this table
// (`vantage schema > scenarios/schema.json`). See probes/README.md.
const std::vector<const Probe*>& registry() {
  static const TcpProbe tcp;
  static const CaptureProbe capture;
  static const RouterosApiProbe routeros_api;
  static const RestProbe rest;
  static const TlsProbe tls;
  static const CertificateProbe certificate;
  static const RouterosStateProbe routeros_state;
  static const std::vector<const Probe*> table = {
      &tcp, &tls, &certificate, &routeros_api, &rest, &routeros_state, &capture,
  };
  return table;
}

const Probe* find_probe(std::string_view name) {
  for (const Probe* p : registry())
    if (p->name() == name) return p;
  return nullptr;
}

std::vector<std::string> probe_names() {
  std::vector<std::string> out;
  for (const Probe* p : registry()) out.emplace_back(p->name());
  return out;
}

}  // namespace vantage::probes
