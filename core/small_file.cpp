#include "core/small_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/unique_fd.hpp"

namespace vantage {

std::optional<std::string> read_small_file(const std::string& path, std::size_t max_bytes,
                                           std::string& error) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd) {
    error = path + ": cannot open (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    error = path + ": not a regular file (a FIFO, socket or device could block or never end)";
    return std::nullopt;
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    error = path + ": larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  // Read to the cap plus one, not to st_size: the file may grow meanwhile.
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = path + ": read failed (" + std::strerror(errno) + ")";
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {
      error = path + ": larger than " + std::to_string(max_bytes) + " bytes";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace vantage
