#include "core/error.hpp"

#include <cstring>

namespace vantage {

std::string Diagnostic::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

static std::string join_diags(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    if (!out.empty()) out += '\n';
    out += d.to_string();
  }
  return out;
}

ConfigError::ConfigError(std::vector<Diagnostic> diags)
    : Error(join_diags(diags)), diags_(std::move(diags)) {}

SystemError::SystemError(const std::string& what, int err)
    : Error(what + ": " + std::strerror(err)), err_(err) {}

}  // namespace vantage
