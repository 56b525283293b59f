#pragma once
#include <string>
#include <vector>

namespace vantage::cli {

// Parses the subcommand and maps every error to a docs/design.md exit code. The
// only place that turns exceptions into exit codes.
int main(int argc, char** argv);

}  // namespace vantage::cli
