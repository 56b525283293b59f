#pragma once
// The one error policy (docs/design.md): setup and configuration errors throw a
// subclass of vantage::Error; wire parsers return results and never throw per
// packet; only main() maps errors to exit codes.
#include <stdexcept>
#include <string>
#include <vector>

namespace vantage {

enum class ExitCode : int {
  kPass = 0,
  kFail = 1,
  kError = 2,
  kUsage = 64,
  kBadScenario = 65,
  kInternal = 70,
  kPermission = 77,
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual ExitCode exit_code() const { return ExitCode::kInternal; }
};

// Bad command-line usage.
class UsageError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kUsage; }
};

// One located problem in a scenario or lab config.
struct Diagnostic {
  std::string file;
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string path;     // JSON pointer-ish path, e.g. checks[2].expect
  std::string message;  // what is wrong and what would be valid

  std::string to_string() const;
};

// A bad scenario or config: carries every problem found, not just the first.
class ConfigError : public Error {
 public:
  explicit ConfigError(std::vector<Diagnostic> diags);
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  ExitCode exit_code() const override { return ExitCode::kBadScenario; }

 private:
  std::vector<Diagnostic> diags_;
};

// A missing capability or privilege; the message says how to grant it.
class PermissionError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kPermission; }
};

// An OS-level failure (file write, socket setup) outside any probe.
class SystemError : public Error {
 public:
  SystemError(const std::string& what, int err);
  int code() const { return err_; }

 private:
  int err_;
};

}  // namespace vantage
