#include "cli/commands.hpp"

namespace vantage::cli {

// The subcommand table: adding one is a file and a line here.
const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "run scenario files and report pass/fail", cmd_run},
      {"diff", "compare two JSON reports: new failures, fixed, still failing, ...", cmd_diff},
      {"merge", "join the JSON reports of a fleet run's shards into the fleet's report", cmd_merge},
      {"validate", "check scenario files without sending any traffic", cmd_validate},
      {"list-probes", "list the probes a check can use", cmd_list_probes},
      {"demo", "audit a built-in demo target on loopback (no router needed)", cmd_demo},
      {"schema", "print the scenario JSON Schema", cmd_schema},
      {"lab", "serve an emulated RouterOS (api, api-ssl, www, www-ssl) from a lab config", cmd_lab},
      {"analyze", "analyse pcap/pcapng files for plaintext API, credentials and TLS", cmd_analyze},
      {"watch", "watch live traffic for plaintext API and credentials until Ctrl-C", cmd_watch},
      {"wire",
       "make a network namespace's links slow and lossy (delay, jitter, loss) for rehearsal",
       cmd_wire},
  };
  return table;
}

}  // namespace vantage::cli
