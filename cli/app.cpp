#include "cli/app.hpp"

#include <boost/program_options/errors.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/plural.hpp"
#include "vantage/version.hpp"

namespace vantage::cli {

namespace {
void usage(std::ostream& os) {
  os << "vantage " << kVersion
     << " - verify, from the network, who can reach a router's management API and how securely\n\n"
        "usage: vantage COMMAND [OPTIONS]   (vantage COMMAND --help for its "
        "options)\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name = c.name;
    name.resize(14, ' ');
    os << "  " << name << c.summary << "\n";
  }
  os << "\nexit codes: 0 all passed, 1 a check failed, 2 a check errored, 64 usage,\n"
        "            65 bad scenario, 70 internal error, 77 missing permission\n";
}
}  // namespace

int main(int argc, char** argv) {
  Args args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      usage(std::cerr);
      return static_cast<int>(ExitCode::kUsage);
    }
    const std::string cmd = args.front();
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      usage(std::cout);
      return 0;
    }
    if (cmd == "--version" || cmd == "-V") {
      std::cout << "vantage " << kVersion << "\n";
      return 0;
    }
    for (const auto& c : commands()) {
      if (cmd == c.name) return c.fn(Args(args.begin() + 1, args.end()));
    }
    std::cerr << "vantage: unknown command '" << cmd << "'\n\n";
    usage(std::cerr);
    return static_cast<int>(ExitCode::kUsage);
  } catch (const boost::program_options::error& e) {
    std::cerr << "vantage: " << e.what() << " (see vantage " << args.front() << " --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
    std::cerr << "vantage: " << counted(e.diagnostics().size(), "problem") << " found\n";
    return static_cast<int>(e.exit_code());
  } catch (const Error& e) {
    std::cerr << "vantage: " << e.what() << "\n";
    return static_cast<int>(e.exit_code());
  } catch (const std::exception& e) {
    std::cerr << "vantage: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
}

}  // namespace vantage::cli
