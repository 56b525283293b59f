#pragma once
// Reading a file a person named (a password_file, a scenario, a policy)
// without trusting it: only a regular file, never more than a cap, and never
// a blocking open. A FIFO (or /dev/stdin) would block the run past every
// deadline, and /dev/zero would never end.
#include <cstddef>
#include <optional>
#include <string>

namespace vantage {

// The whole file, or nullopt with `error` saying why in words a user acts on
// (it names the file and the cap, never the content).
std::optional<std::string> read_small_file(const std::string& path, std::size_t max_bytes,
                                           std::string& error);

// Caps: a password is short; a config is text a person wrote.
inline constexpr std::size_t kMaxSecretFileBytes = 4096;
inline constexpr std::size_t kMaxConfigFileBytes = 16u << 20;

}  // namespace vantage
