// The scenario loader as `vantage run` drives it: the input is
// "name=value" lines for --var, a line "--", then the scenario text. The
// parser, the depth limit, vars substitution and every check's reader run;
// the only acceptable failure is a located ConfigError.
#include <cstdlib>
#include <map>

#include "core/error.hpp"
#include "core/json_config.hpp"
#include "fuzz_support.hpp"
#include "scenarios/scenario.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  scenarios::LoadOptions opt;
  const auto sep = text.find("\n--\n");
  if (sep != std::string::npos) {
    std::string vars = text.substr(0, sep);
    text.erase(0, sep + 4);
    std::size_t pos = 0;
    while (pos <= vars.size() && opt.vars.size() < 16) {
      const auto nl = std::min(vars.find('\n', pos), vars.size());
      const auto line = vars.substr(pos, nl - pos);
      const auto eq = line.find('=');
      if (eq != std::string::npos) opt.vars[line.substr(0, eq)] = line.substr(eq + 1);
      pos = nl + 1;
    }
  }
  try {
    const auto doc = ConfigDoc::parse("fuzz.json", text);
    const auto sc = scenarios::parse_scenario(doc, opt);
    (void)scenarios::plan_capture({sc});
  } catch (const ConfigError& e) {
    if (std::string(e.what()).empty()) std::abort();
  }
  return 0;
}
