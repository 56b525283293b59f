// Lab configs (`vantage lab --config FILE`): any text through ConfigDoc and
// the lab's reader, then into a RouterModel; a located ConfigError is the only
// acceptable failure.
#include <cstdlib>

#include "core/error.hpp"
#include "core/json_config.hpp"
#include "fuzz_support.hpp"
#include "lab/config.hpp"
#include "lab/model.hpp"

using namespace vantage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto doc = ConfigDoc::parse("fuzz-lab.json", fuzz::as_string({data, size}));
    auto cfg = lab::parse_config(doc);
    lab::RouterModel model(std::move(cfg));
    (void)model.identity();
    (void)model.sends_empty();
  } catch (const ConfigError& e) {
    if (std::string(e.what()).empty()) std::abort();
  }
  return 0;
}
