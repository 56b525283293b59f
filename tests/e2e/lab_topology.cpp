#include "tests/e2e/lab_topology.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace vantage::testing {

using nlohmann::json;

const std::string kAuditPassword = "Audit-pw-7f3c9";
const std::string kAdminPassword = "Admin-pw-51d0e";
const std::string kLegitPassword = "Legit-plain-4b8a";

json hardened_lab(const std::string& certs, const std::string& cert) {
  json c = {{"cert", certs + "/" + cert + ".pem"}, {"key", certs + "/" + cert + ".key"}};
  return {
      {"identity", "core-rtr-1"},
      // Current, so it has every fix in policies/routeros-versions.json.
      {"version", "7.24.6"},
      {"listen", {"192.0.2.1", "203.0.113.1"}},
      {"services",
       {{"api", {{"disabled", true}, {"port", 8728}}},
        {"api-ssl",
         {{"port", 8729},
          {"certificate", c},
          {"tls-version", "only-1.2"},
          {"address", {"192.0.2.10/32"}},
          {"disallowed", "reset"},
          {"max-sessions", 20}}},
        {"www", {{"disabled", true}, {"port", 80}}},
        {"www-ssl",
         {{"port", 443},
          {"certificate", c},
          {"tls-version", "only-1.2"},
          {"address", {"192.0.2.0/24"}}}}}},
      {"webserver", {{"rest-plain", false}}},
      {"groups", {{"audit", {"read", "api", "rest-api"}}}},
      // The guide's firewall; the router namespace gets the nft ruleset
      // `vantage lab --print-nft` makes of it (one source of truth).
      {"firewall",
       {{"filter",
         {{{"action", "accept"},
           {"protocol", "tcp"},
           {"dst-port", "8728,8729"},
           {"src-address", "192.0.2.0/24"},
           {"comment", "API from mgmt"}},
          {{"action", "drop"},
           {"protocol", "tcp"},
           {"dst-port", "8728,8729"},
           {"log", true},
           {"log-prefix", "DROP API: "}}}}}},
      {"users",
       {{{"name", "audit"}, {"group", "audit"}, {"password", kAuditPassword}},
        {{"name", "admin"}, {"group", "full"}, {"password", kAdminPassword}},
        {{"name", "legit"}, {"group", "full"}, {"password", kLegitPassword}}}},
  };
}

LabTopology::LabTopology() {
  link(router, "192.0.2.1/24", mgmt, "192.0.2.10/24");
  link(router, "203.0.113.1/24", outside, "203.0.113.10/24");
  mgmt.exec(
      "sh -c 'ip addr add 192.0.2.20/24 dev $(ip -o link show type veth | cut -d: -f2 | cut -d@ "
      "-f1 | tr -d \" \")'");
  mgmt.exec("ip route add default via 192.0.2.1");
  outside.exec("ip route add default via 203.0.113.1");
}

void LabTopology::start(const json& lab) {
  tmp.write("lab.json", lab.dump(2));
  sh(std::string(VANTAGE_BINARY) + " lab --config " + tmp.file("lab.json") + " --print-nft > " +
     tmp.file("firewall.nft"));
  router.exec("nft -f " + tmp.file("firewall.nft"));
  lab_ = std::make_unique<Process>(
      std::vector<std::string>{"ip", "netns", "exec", router.name(), VANTAGE_BINARY, "lab",
                               "--config", tmp.file("lab.json")},
      tmp.file("lab.log"));
  // Asked of the router's own sockets: the firewall may keep every client out.
  for (int i = 0; i < 200; ++i) {
    if (sh_status("ip netns exec " + router.name() +
                  " ss -Hltn 'sport = :8729' | grep -q LISTEN") == 0)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("the lab never listened on 8729: " + tmp.read("lab.log"));
}

int LabTopology::run(const std::vector<std::string>& scenarios, const std::string& certs,
                     const std::vector<std::string>& extra, std::string* out,
                     std::string* err) const {
  const std::string src = VANTAGE_SOURCE_DIR;
  std::vector<std::string> args = {"run"};
  for (const auto& s : scenarios) args.push_back(src + "/scenarios/" + s);
  for (const auto& a : {"--report-dir", "", "--no-color"}) args.emplace_back(a);
  args[args.size() - 2] = tmp.file("out");
  std::vector<std::string> vars = {"router=192.0.2.1",
                                   "server_name=core-rtr-1.example.net",
                                   "ca_file=" + certs + "/ca.pem",
                                   "mgmt_netns=" + mgmt.name(),
                                   "mgmt_address=192.0.2.10",
                                   "mgmt_other_netns=" + mgmt.name(),
                                   "mgmt_other_address=192.0.2.20",
                                   "outside_netns=" + outside.name(),
                                   "capture_netns=" + router.name(),
                                   "timeout_ms=" + std::to_string(link_timeout_ms(2000)),
                                   "tls_timeout_ms=" + std::to_string(link_timeout_ms(15000))};
  vars.insert(vars.end(), extra.begin(), extra.end());
  for (const auto& v : vars) {
    args.push_back("--var");
    args.push_back(v);
  }
  ::setenv("VANTAGE_PASSWORD", kAuditPassword.c_str(), 1);
  return run_vantage(args, out, err);
}

std::string LabTopology::diag(const std::string& out, const std::string& err) const {
  return "\n--- stdout\n" + out + "\n--- stderr\n" + err + "\n--- lab log\n" + tmp.read("lab.log");
}

json LabTopology::report() const {
  return json::parse(tmp.read("out/report.json"));
}

}  // namespace vantage::testing
