// vantage lab --config LAB.json [--listen ADDR]...: runs an emulated RouterOS
// router (lab/) until SIGINT/SIGTERM, printing its endpoints and its log.
// With --routers N or several --config, a fleet (lab/fleet.hpp).
#include <signal.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/lab_inventory.hpp"
#include "cli/signals.hpp"
#include "core/error.hpp"
#include "lab/config.hpp"
#include "lab/fleet.hpp"
#include "lab/nft.hpp"
#include "lab/router.hpp"

namespace vantage::cli {

namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "vantage lab --config LAB.json [--listen ADDR]... [--write-ca FILE]\n"
    "vantage lab --config LAB.json [--config LAB2.json]... --routers N [--first-address ADDR]\n"
    "            [--key ecdsa] [--write-inventory FILE.csv] [--write-ca FILE]\n"
    "vantage lab --config LAB.json --print-nft\n\n"
    "Runs an emulated RouterOS router (api, api-ssl, www, www-ssl) described by a lab config\n"
    "until Ctrl-C or SIGTERM, and prints its endpoints and its log (logins and failures).\n"
    "With --routers N (or several configs) it runs a fleet on one I/O thread per core: router i\n"
    "uses config i mod (number of configs), listens on the i-th address from --first-address\n"
    "and is named IDENTITY-i; --write-inventory writes the CSV inventory `vantage run\n"
    "--inventory` reads.\n";

const char* describe_cert(const lab::Service& s) {
  switch (s.certificate.kind) {
    case lab::Certificate::Kind::kNone: return "certificate none (anonymous DH)";
    case lab::Certificate::Kind::kSelfSigned: return "certificate self-signed (lab CA)";
    case lab::Certificate::Kind::kFiles: return "certificate from files";
  }
  return "";
}

void print_router(const lab::Router& router, const lab::LabConfig& cfg) {
  std::cout << router.identity() << " (RouterOS " << cfg.version << " emulation) serving:\n";
  for (const auto& [name, svc] : cfg.services) {
    if (svc.disabled) continue;
    for (const auto& addr : cfg.listen) {
      const bool v6 = addr.find(':') != std::string::npos;
      std::cout << "  " << std::left << std::setw(9) << name << (v6 ? "[" + addr + "]" : addr)
                << ":" << router.port(name);
      if (svc.tls()) std::cout << "  " << describe_cert(svc);
      if (!svc.address.empty()) {
        std::cout << "  from";
        for (const auto& p : svc.address) std::cout << " " << p.text();
      }
      std::cout << "\n";
    }
  }
}

void print_fleet(const lab::Fleet& fleet, const std::vector<std::string>& variants,
                 lab::KeyType key) {
  const auto& first = fleet.router(0).config();
  const auto& last = fleet.router(fleet.size() - 1).config();
  std::cout << fleet.size() << " emulated routers on " << first.listen.front() << " .. "
            << last.listen.front() << ", " << fleet.threads() << " I/O threads, "
            << (key == lab::KeyType::kEcdsa ? "ECDSA" : "RSA") << " self-signed certificates\n";
  std::map<std::string, std::size_t> per_variant;
  for (std::size_t i = 0; i < fleet.size(); ++i) per_variant[variants[i % variants.size()]]++;
  for (const auto& [variant, n] : per_variant) std::cout << "  " << n << " x " << variant << "\n";
  std::cout << "  services of " << fleet.router(0).identity() << ":";
  for (const auto& [name, svc] : first.services)
    if (!svc.disabled) std::cout << " " << name << " " << fleet.router(0).port(name);
  std::cout << "\n";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw SystemError("lab: writing " + path, errno);
}

lab::KeyType key_type(const std::string& s) {
  if (s == "rsa") return lab::KeyType::kRsa;
  if (s == "ecdsa") return lab::KeyType::kEcdsa;
  throw UsageError("lab: --key " + s + ": write rsa or ecdsa");
}

}  // namespace

int cmd_lab(const Args& args) {
  po::options_description od("lab options");
  od.add_options()("help,h", "show this help")(
      "config,c", po::value<std::vector<std::string>>(),
      "lab config (JSON, comments allowed); repeat for a fleet's variants")(
      "listen,l", po::value<std::vector<std::string>>(),
      "listen on this address instead of the config's (repeatable; one router only)")(
      "routers,n", po::value<std::size_t>(), "run a fleet of N routers (1..65536)")(
      "first-address", po::value<std::string>()->default_value("127.1.0.1"),
      "the fleet's first address; router i listens on the i-th address from it")(
      "key", po::value<std::string>()->default_value("rsa"),
      "key type of self-signed certificates: rsa or ecdsa (cheap handshakes for a fleet)")(
      "threads", po::value<unsigned>()->default_value(0),
      "a fleet's I/O threads (0 = one per core)")(
      "write-inventory", po::value<std::string>(),
      "write the fleet as a CSV inventory for `vantage run --inventory`")(
      "write-ca", po::value<std::string>(), "write the lab CA (self-signed services) to FILE")(
      "quiet,q", "do not print log lines")(
      "print-nft", "print the nft ruleset the config's firewall implies, and exit");
  po::positional_options_description pos;
  pos.add("config", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(od).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("lab: ") + e.what());
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << od;
    return 0;
  }
  if (!vm.count("config")) throw UsageError("lab: --config LAB.json is required");

  std::vector<lab::LabConfig> configs;
  std::vector<std::string> variants;
  for (const auto& c : vm["config"].as<std::vector<std::string>>()) {
    configs.push_back(lab::load_config(resolve_shipped(c, "lab/configs")));
    variants.push_back(std::filesystem::path(c).stem().string());
  }
  const bool fleet_mode = vm.count("routers") || configs.size() > 1;
  const lab::KeyType key = key_type(vm["key"].as<std::string>());
  const bool quiet = vm.count("quiet") > 0;
  if (vm.count("print-nft")) {
    if (fleet_mode) throw UsageError("lab: --print-nft takes one config and no --routers");
    std::cout << lab::nft_ruleset(configs.front());
    return 0;
  }
  if (fleet_mode && vm.count("listen"))
    throw UsageError("lab: --listen is for one router; a fleet listens from --first-address");
  if (!fleet_mode && vm.count("write-inventory"))
    throw UsageError("lab: --write-inventory needs a fleet (--routers N)");

  SignalBlock signals;  // before the I/O threads start, so they inherit the mask
  std::unique_ptr<lab::Router> single;
  std::unique_ptr<lab::Fleet> fleet;
  std::string ca;
  if (fleet_mode) {
    const std::size_t n = vm.count("routers") ? vm["routers"].as<std::size_t>() : configs.size();
    if (n < 1 || n > 65536) throw UsageError("lab: --routers takes 1 to 65536");
    fleet = std::make_unique<lab::Fleet>(
        lab::fleet_configs(configs, n, vm["first-address"].as<std::string>()),
        lab::FleetOptions{key, vm["threads"].as<unsigned>()});
    fleet->start();
    ca = fleet->ca_pem();
  } else {
    if (vm.count("listen")) configs.front().listen = vm["listen"].as<std::vector<std::string>>();
    single = std::make_unique<lab::Router>(configs.front(), key);
    single->start();
    ca = single->ca_pem();
  }
  if (vm.count("write-ca")) {
    if (ca.empty() || (single && single->ca_pem().empty()))
      throw UsageError("lab: --write-ca: no service uses \"certificate\": \"self-signed\"");
    write_file(vm["write-ca"].as<std::string>(), ca);
  }
  if (fleet) {
    if (vm.count("write-inventory")) {
      const std::string ca_file =
          vm.count("write-ca")
              ? std::filesystem::absolute(vm["write-ca"].as<std::string>()).string()
              : "";
      write_file(vm["write-inventory"].as<std::string>(),
                 fleet_inventory_csv(*fleet, variants, ca_file));
    }
    print_fleet(*fleet, variants, key);
  } else {
    print_router(*single, configs.front());
  }
  std::cout << "Ctrl-C to stop" << std::endl;

  std::vector<std::uint64_t> shown(fleet ? fleet->size() : 1, 0);
  for (;;) {
    timespec ts{0, 200 * 1000 * 1000};
    const int sig = sigtimedwait(&signals.set(), nullptr, &ts);
    if (!quiet) {
      for (std::size_t i = 0; i < shown.size(); ++i) {
        const lab::Router& r = fleet ? fleet->router(i) : *single;
        for (const auto& e : r.log_after(shown[i])) {
          std::cout << e.time << " " << (fleet ? r.identity() + " " : "") << e.topics << " "
                    << e.message << "\n";
          shown[i] = e.id;
        }
      }
      std::cout.flush();
    }
    if (sig == SIGINT || sig == SIGTERM) break;
  }
  if (fleet) fleet->stop();
  if (single) single->stop();
  return 0;
}

}  // namespace vantage::cli
