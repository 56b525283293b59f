#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/embedded.hpp"
#include "cli/run_common.hpp"
#include "core/error.hpp"
#include "lab/router.hpp"

namespace vantage::cli {

namespace {

// The demo's loopback vantage points. All of 127/8 is local on Linux, so no
// setup or privilege is needed to bind them.
constexpr const char* kRouter = "127.0.0.1";
constexpr const char* kMgmt = "127.0.0.2";       // in api-ssl's service address list
constexpr const char* kMgmtOther = "127.0.0.3";  // trusted network, not in the list
constexpr const char* kOutside = "127.0.0.4";    // untrusted
constexpr const char* kPasswordEnv = "VANTAGE_DEMO_PASSWORD";

}  // namespace

int cmd_demo(const Args& args) {
  po::options_description od("demo options");
  od.add_options()("report-dir", po::value<std::string>()->default_value("vantage-demo"),
                   "where to write the reports and the pcap")("no-color",
                                                              "never colour the console report")(
      "verbose,v", "list every finding of a check on the console, not only their count by kind");
  po::variables_map vm;
  if (!parse_args(args, od, nullptr, vm, "vantage demo [--report-dir DIR] [-v]")) return 0;
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(vm["report-dir"].as<std::string>());
  fs::create_directories(dir);

  // The emulated router, half hardened (lab/configs/demo.json), on ephemeral
  // loopback ports so the demo never collides with anything.
  auto cfg =
      lab::parse_config(ConfigDoc::parse("lab/configs/demo.json (built in)", kDemoLabConfig));
  cfg.listen = {kRouter};
  for (auto& [name, svc] : cfg.services) svc.port = 0;
  lab::Router router(cfg);
  router.start();
  const fs::path ca = dir / "demo-router-ca.pem";
  std::ofstream(ca) << router.ca_pem();
  // The demo's own fixture password for its audit account; never printed.
  for (const auto& u : cfg.users)
    if (u.name == "audit") ::setenv(kPasswordEnv, u.password.c_str(), 1);

  scenarios::LoadOptions lo;
  lo.vars = {{"router", kRouter},
             {"router_name", router.identity()},
             {"server_name", router.identity()},
             {"ca_file", ca.string()},
             {"audit_user", "audit"},
             {"password_env", kPasswordEnv},
             {"api_port", std::to_string(router.port("api"))},
             {"api_ssl_port", std::to_string(router.port("api-ssl"))},
             {"www_port", std::to_string(router.port("www"))},
             {"mgmt_address", kMgmt},
             {"mgmt_other_address", kMgmtOther},
             {"outside_address", kOutside},
             {"capture_interface", "lo"}};
  auto sc = scenarios::parse_scenario(
      ConfigDoc::parse("scenarios/routeros-api-hardening.json (built in)", kHardeningScenario), lo);

  // The router's own view (routeros-state), from the same management source.
  scenarios::LoadOptions so;
  for (const char* k : {"router", "router_name", "server_name", "ca_file", "audit_user",
                        "password_env", "api_ssl_port", "mgmt_address"})
    so.vars[k] = lo.vars[k];
  so.vars["mgmt_range"] = std::string(kMgmt) + "/32";
  // Built in, but its version policy is a shipped file: resolve it where the
  // shipped files are (share/vantage, or the source tree of a build).
  if (auto d = data_dir()) so.base_dir = *d / "scenarios";
  auto state = scenarios::parse_scenario(
      ConfigDoc::parse("scenarios/routeros-router-state.json (built in)", kStateScenario), so);

  RunSettings s;
  s.reports.report_dir = dir;
  s.reports.render.verbose = vm.count("verbose") > 0;
  s.reports.render.color =
      !vm.count("no-color") && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  std::cout << "vantage demo: auditing an emulated RouterOS on " << kRouter << " (api "
            << router.port("api") << ", api-ssl " << router.port("api-ssl") << ", www "
            << router.port("www") << ")\n"
            << "  with the shipped scenario routeros-api-hardening, from mgmt " << kMgmt
            << ", mgmt-other " << kMgmtOther << " and outside " << kOutside << ".\n"
            << "  The demo router is deliberately half hardened: api-ssl has a certificate and a\n"
            << "  service address list, but plain api and REST on plain www are still on, and\n"
            << "  there is no firewall.\n\n";
  const int rc = execute({std::move(sc), std::move(state)}, s);
  std::cout << "\nreports and capture are in " << dir.string() << "/\n";
  // Failures are the point of the demo; only errors make the demo itself fail.
  if (rc == static_cast<int>(ExitCode::kFail)) return 0;
  return rc;
}

}  // namespace vantage::cli
