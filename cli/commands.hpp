#pragma once
// One function per subcommand, each in its own cmd_<name>.cpp. They take the
// arguments after the subcommand name, return an exit code, and throw
// vantage::Error for anything main() should map.
#include <string>
#include <vector>

namespace vantage::cli {

using Args = std::vector<std::string>;

int cmd_run(const Args& args);
int cmd_validate(const Args& args);
int cmd_list_probes(const Args& args);
int cmd_demo(const Args& args);
int cmd_schema(const Args& args);
int cmd_analyze(const Args& args);
int cmd_lab(const Args& args);
int cmd_watch(const Args& args);
int cmd_wire(const Args& args);
int cmd_diff(const Args& args);
int cmd_merge(const Args& args);

struct Command {
  const char* name;
  const char* summary;
  int (*fn)(const Args&);
};
const std::vector<Command>& commands();

}  // namespace vantage::cli
