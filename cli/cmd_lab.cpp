// vantage lab --config LAB.json [--listen ADDR]...: runs an emulated RouterOS
// router (lab/) until SIGINT/SIGTERM, printing its endpoints and its log.
#include <signal.h>

#include <boost/program_options.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/signals.hpp"
#include "core/error.hpp"
#include "lab/config.hpp"
#include "lab/nft.hpp"
#include "lab/router.hpp"

namespace vantage::cli {

namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "vantage lab --config LAB.json [--listen ADDR]... [--write-ca FILE]\n"
    "vantage lab --config LAB.json --print-nft\n\n"
    "Runs an emulated RouterOS router (api, api-ssl, www, www-ssl) described by a lab config\n"
    "until Ctrl-C or SIGTERM, and prints its endpoints and its log (logins and failures).\n";

const char* describe_cert(const lab::Service& s) {
  switch (s.certificate.kind) {
    case lab::Certificate::Kind::kNone: return "certificate none (anonymous DH)";
    case lab::Certificate::Kind::kSelfSigned: return "certificate self-signed (lab CA)";
    case lab::Certificate::Kind::kFiles: return "certificate from files";
  }
  return "";
}

}  // namespace

int cmd_lab(const Args& args) {
  po::options_description od("lab options");
  od.add_options()("help,h", "show this help")("config,c", po::value<std::string>(),
                                               "lab config (JSON, comments allowed)")(
      "listen,l", po::value<std::vector<std::string>>(),
      "listen on this address instead of the config's (repeatable)")(
      "write-ca", po::value<std::string>(), "write the lab CA (self-signed services) to FILE")(
      "quiet,q", "do not print log lines")(
      "print-nft", "print the nft ruleset the config's firewall implies, and exit");
  po::positional_options_description pos;
  pos.add("config", 1);
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

  lab::LabConfig cfg =
      lab::load_config(resolve_shipped(vm["config"].as<std::string>(), "lab/configs"));
  if (vm.count("listen")) cfg.listen = vm["listen"].as<std::vector<std::string>>();
  const bool quiet = vm.count("quiet") > 0;
  if (vm.count("print-nft")) {
    std::cout << lab::nft_ruleset(cfg);
    return 0;
  }

  SignalBlock signals;  // before the router's thread starts, so it inherits the mask
  lab::Router router(cfg);
  router.start();
  if (vm.count("write-ca")) {
    const std::string ca = router.ca_pem();
    if (ca.empty())
      throw UsageError("lab: --write-ca: no service uses \"certificate\": \"self-signed\"");
    std::ofstream out(vm["write-ca"].as<std::string>());
    out << ca;
    if (!out) throw SystemError("lab: writing " + vm["write-ca"].as<std::string>(), errno);
  }

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
  std::cout << "Ctrl-C to stop" << std::endl;

  std::uint64_t shown = 0;
  for (;;) {
    timespec ts{0, 200 * 1000 * 1000};
    const int sig = sigtimedwait(&signals.set(), nullptr, &ts);
    if (!quiet) {
      for (const auto& e : router.log()) {
        if (e.id <= shown) continue;
        std::cout << e.time << " " << e.topics << " " << e.message << "\n";
        shown = e.id;
      }
      std::cout.flush();
    }
    if (sig == SIGINT || sig == SIGTERM) break;
  }
  router.stop();
  return 0;
}

}  // namespace vantage::cli
