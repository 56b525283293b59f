#include "cli/data_dir.hpp"

#include <array>
#include <system_error>

#include "vantage/version.hpp"

namespace vantage::cli {

namespace fs = std::filesystem;

std::optional<fs::path> data_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const std::array<fs::path, 3> candidates = {
      ec ? fs::path() : exe.parent_path().parent_path() / "share" / "vantage",
      fs::path(kInstallDataDir), fs::path(kSourceDir)};
  for (const auto& c : candidates) {
    if (!c.empty() && fs::is_directory(c / "scenarios", ec)) return c;
  }
  return std::nullopt;
}

std::string resolve_shipped(const std::string& arg, const std::string& subdir) {
  std::error_code ec;
  const fs::path p(arg);
  if (fs::exists(p, ec) || p.has_parent_path() || arg.empty()) return arg;
  const auto dir = data_dir();
  if (!dir) return arg;
  for (const auto& name : {p, fs::path(arg + ".json")}) {
    const fs::path shipped = *dir / subdir / name;
    if (fs::is_regular_file(shipped, ec)) return shipped.string();
  }
  return arg;
}

}  // namespace vantage::cli
