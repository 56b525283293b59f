#pragma once
// Where the shipped scenarios, policies and lab configs are: share/vantage
// next to the executable's prefix (a relocated install), the configured
// install prefix, or the source tree (a build directory). Lets
// `vantage run routeros-api-hardening` and `vantage lab --config demo` name a
// shipped file without its path.
#include <filesystem>
#include <optional>
#include <string>

namespace vantage::cli {

// The first of those that holds scenarios/; nullopt when none does.
std::optional<std::filesystem::path> data_dir();

// `arg` when it names an existing file (or has a directory part); otherwise
// data_dir()/subdir/arg[.json] when that exists; otherwise `arg` unchanged,
// so the loader's own "cannot open" error names what was given.
std::string resolve_shipped(const std::string& arg, const std::string& subdir);

}  // namespace vantage::cli
