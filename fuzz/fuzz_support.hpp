#pragma once
// Small helpers shared by the fuzz targets: splitting the input into
// fuzzer-chosen pieces, a file that holds bytes (for readers that take a
// path) and a net::Stream that serves bytes (for the HTTP client).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/unique_fd.hpp"
#include "net/stream.hpp"

namespace vantage::fuzz {

// Takes values off the front of the input; past the end it yields zeros.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : rest_(data, size) {}
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const std::uint8_t b = rest_.front();
    rest_ = rest_.subspan(1);
    return b;
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, rest_.size());
    auto head = rest_.first(n);
    rest_ = rest_.subspan(n);
    return head;
  }
  std::span<const std::uint8_t> rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  std::span<const std::uint8_t> rest_;
};

inline std::string as_string(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// An anonymous in-memory file with `bytes`, named by /proc/self/fd/N, so
// libpcap and the pcapng reader open it like any capture file.
class MemFile {
 public:
  explicit MemFile(std::span<const std::uint8_t> bytes)
      : fd_(::memfd_create("vantage-fuzz", MFD_CLOEXEC)) {
    std::size_t off = 0;
    while (fd_ && off < bytes.size()) {
      const ssize_t n = ::write(fd_.get(), bytes.data() + off, bytes.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
  }
  bool ok() const { return static_cast<bool>(fd_); }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_.get()); }

 private:
  UniqueFd fd_;
};

// Serves the input in fuzzer-sized reads, then a terminal status (EOF, reset
// or timeout, as a server may end). Writes are accepted and dropped.
class BytesStream final : public net::Stream {
 public:
  BytesStream(Input& in, net::IoResult::Status end) : in_(in), end_(end) {}
  net::IoResult read_some(std::span<std::uint8_t> buf, Deadline) override {
    net::IoResult r;
    if (in_.empty() || buf.empty()) {
      r.status = end_;
      return r;
    }
    const std::size_t want = std::min<std::size_t>(buf.size(), 1 + in_.byte() * 16u);
    auto piece = in_.take(want);
    if (piece.empty()) {
      r.status = end_;
      return r;
    }
    std::copy(piece.begin(), piece.end(), buf.begin());
    r.bytes = piece.size();
    return r;
  }
  net::IoResult write_all(std::span<const std::uint8_t> buf, Deadline) override {
    net::IoResult r;
    r.bytes = buf.size();
    return r;
  }
  int fd() const override { return -1; }

 private:
  Input& in_;
  net::IoResult::Status end_;
};

}  // namespace vantage::fuzz
