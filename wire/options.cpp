#include "wire/options.hpp"

#include <boost/program_options.hpp>
#include <random>
#include <sstream>

#include "core/error.hpp"

namespace vantage::wire {

namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "vantage wire [--delay D] [--jitter J] [--loss P] [--loopback] [--netns NAME] ...\n\n"
    "Makes this network namespace's links behave like a real network: every packet entering\n"
    "(ingress) or leaving (egress) by a non-loopback interface waits a one-way delay plus\n"
    "0..jitter, in order, and is lost with the given probability. Runs until Ctrl-C, SIGTERM or\n"
    "--duration, then removes its rules and prints what it did. Prints `wire: ready` once\n"
    "traffic flows through it. Needs CAP_NET_ADMIN and iptables (nf_tables backend).\n"
    "If it is killed with SIGKILL its queues stay unserved and traffic stops (fail closed);\n"
    "the next `vantage wire` in that namespace removes the stale rules.\n\n"
    "  vantage wire --netns vlab-router --delay 50ms --jitter 5ms --loss 1%\n";

po::options_description description() {
  po::options_description od("wire options");
  auto s = [] { return po::value<std::string>(); };
  od.add_options()("help,h", "show this help")("delay", s(),
                                               "one-way delay, both directions (e.g. 60ms, 1.5s)")(
      "jitter", s(), "extra delay 0..J per packet, both directions; never reorders")(
      "loss", s(), "loss rate, both directions (e.g. 2%)")(
      "ingress-delay", s(), "delay of packets entering the namespace")(
      "egress-delay", s(), "delay of packets leaving it")("ingress-jitter", s(), "jitter entering")(
      "egress-jitter", s(), "jitter leaving")("ingress-loss", s(), "loss entering")(
      "egress-loss", s(), "loss leaving")(
      "loopback", "also delay loopback traffic (once per packet, with the egress settings)")(
      "queue-limit", po::value<long long>(),
      "packets held per direction; more are dropped (default 1000)")(
      "seed", po::value<unsigned long long>(),
      "random seed for jitter and loss (default: random, printed)")(
      "duration", s(), "stop by itself after this long")(
      "netns", s(), "act on this network namespace (/run/netns/NAME, or a path)")(
      "ready-file", s(), "write this file once traffic flows through the wire");
  return od;
}

}  // namespace

std::string usage() {
  std::ostringstream os;
  os << kUsage << "\n" << description();
  return os.str();
}

WireOptions parse_options(const std::vector<std::string>& args) {
  po::variables_map vm;
  try {
    const po::positional_options_description none;  // a stray word is an error, not ignored
    po::store(po::command_line_parser(args).options(description()).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("wire: ") + e.what());
  }
  WireOptions o;
  o.help = vm.count("help") > 0;
  WireConfig& c = o.config;
  auto str = [&](const char* k) { return vm[k].as<std::string>(); };
  // Both-direction flags first, then the per-direction ones override them.
  if (vm.count("delay")) c.ingress.delay = c.egress.delay = parse_duration("delay", str("delay"));
  if (vm.count("jitter"))
    c.ingress.jitter = c.egress.jitter = parse_duration("jitter", str("jitter"));
  if (vm.count("loss")) c.ingress.loss = c.egress.loss = parse_loss("loss", str("loss"));
  for (auto [prefix, imp] : {std::pair{"ingress", &c.ingress}, std::pair{"egress", &c.egress}}) {
    const std::string p = prefix;
    if (vm.count(p + "-delay"))
      imp->delay = parse_duration(p + "-delay", str((p + "-delay").c_str()));
    if (vm.count(p + "-jitter"))
      imp->jitter = parse_duration(p + "-jitter", str((p + "-jitter").c_str()));
    if (vm.count(p + "-loss")) imp->loss = parse_loss(p + "-loss", str((p + "-loss").c_str()));
  }
  c.loopback = vm.count("loopback") > 0;
  if (vm.count("queue-limit")) {
    const long long n = vm["queue-limit"].as<long long>();
    if (n < 1 || n > 65536)
      throw UsageError("--queue-limit must be 1-65536 packets, got " + std::to_string(n));
    c.queue_limit = static_cast<std::size_t>(n);
  }
  c.seed = vm.count("seed") ? vm["seed"].as<unsigned long long>() : std::random_device{}();
  if (vm.count("duration")) {
    c.duration = parse_duration("duration", str("duration"), std::chrono::hours(24));
    if (c.duration->count() == 0) throw UsageError("--duration must be more than 0");
  }
  if (vm.count("netns")) c.netns = str("netns");
  if (vm.count("ready-file")) c.ready_file = str("ready-file");
  return o;
}

}  // namespace vantage::wire
