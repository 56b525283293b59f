#include "reports/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vantage::reports {
namespace {

[[noreturn]] void fail(const std::string& what, int err) {
  throw SystemError(what, err);
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view data) {
  write_file_atomic(path, [data](const TextSink& sink) { sink(data); });
}

void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(const TextSink&)>& produce) {
  const std::string target = path.string();
  if (path.filename().empty()) fail("cannot write report " + target + ": not a file name", EISDIR);
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";

  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd)
    fail("cannot write report " + target + ": cannot create a temp file in " + dir.string(), errno);
  const std::string tmp(name.data());

  // From here on, any failure removes the temp file.
  auto abandon = [&](const std::string& step, int err) {
    fd.reset();
    ::unlink(tmp.c_str());
    fail("cannot write report " + target + ": " + step, err);
  };

  if (::fchmod(fd.get(), 0644) != 0) abandon("chmod of the temp file", errno);
  const TextSink sink = [&](std::string_view data) {
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd.get(), p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        abandon("write", errno);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  };
  try {
    produce(sink);
  } catch (...) {  // abandon()'s own, or the producer's: no temp file is left
    fd.reset();
    ::unlink(tmp.c_str());
    throw;
  }
  if (::fsync(fd.get()) != 0) abandon("fsync", errno);
  // close() can report a deferred write error (NFS, quotas).
  if (::close(fd.release()) != 0) abandon("close", errno);
  if (::rename(tmp.c_str(), target.c_str()) != 0) abandon("rename into place", errno);

  UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // The file is complete and in place; a directory that cannot be synced
  // (some filesystems refuse) does not make the report wrong.
  if (dfd) ::fsync(dfd.get());
}

}  // namespace vantage::reports
