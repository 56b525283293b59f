// vantage wire [--delay D] [--jitter J] [--loss P] ...: a user-space link
// (wire/) in this or a named network namespace until SIGINT/SIGTERM.
#include <sched.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "net/source.hpp"
#include "wire/options.hpp"
#include "wire/wire.hpp"

namespace vantage::cli {

namespace {

void write_ready_file(const std::string& path) {
  // Renamed into place, so a reader never sees it half written.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << "ready\n";
    if (!out) throw SystemError("wire: writing " + tmp, errno);
  }
  std::filesystem::rename(tmp, path);
}

void print_report(const wire::WireConfig& cfg, const wire::WireReport& r) {
  std::cerr << "wire: stopped"
            << (r.signal ? " by signal " + std::to_string(r.signal) : " (duration)") << "; seed "
            << cfg.seed << "\n";
  for (const auto& l : r.lanes) {
    std::cerr << "wire: " << l.name << " (" << l.impairment.describe() << "): passed "
              << l.stats.passed << ", lost " << l.stats.lost << ", dropped by bound "
              << l.stats.overflow + l.kernel.queue_dropped << ", max depth " << l.stats.max_depth
              << "\n";
  }
  if (r.overruns) std::cerr << "wire: " << r.overruns << " notifications lost (socket buffer)\n";
}

}  // namespace

int cmd_wire(const Args& args) {
  const wire::WireOptions opt = wire::parse_options(args);
  if (opt.help) {
    std::cout << wire::usage();
    return 0;
  }
  const wire::WireConfig& cfg = opt.config;
  if (cfg.netns) {
    // Still one thread here: setns moves the whole process, the iptables it runs included.
    UniqueFd ns = net::open_netns(*cfg.netns);
    if (::setns(ns.get(), CLONE_NEWNET) != 0) {
      if (errno == EPERM)
        throw PermissionError(
            "wire: entering network namespace " + *cfg.netns +
            " needs CAP_SYS_ADMIN: run as root, or use `ip netns exec NAME vantage wire ...`");
      throw SystemError("wire: entering network namespace " + *cfg.netns, errno);
    }
  }
  std::cerr << "wire: ingress " << cfg.ingress.describe() << "; egress " << cfg.egress.describe()
            << (cfg.loopback ? "; loopback too" : "") << "; seed " << cfg.seed << std::endl;
  const auto report = wire::run(cfg, [&] {
    std::cout << "wire: ready" << std::endl;
    if (cfg.ready_file) write_ready_file(*cfg.ready_file);
  });
  print_report(cfg, report);
  return 0;
}

}  // namespace vantage::cli
