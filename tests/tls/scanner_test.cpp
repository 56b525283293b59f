// The scanner against peers written here: a silent server, a server that
// closes, one that resets and one that answers garbage, each with a deadline.
#include "tls/scanner.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "tests/tls/hello_peer.hpp"
#include "tls/cipher_suites.hpp"

using namespace vantage::tls::peers;  // NOLINT: the tests' shared peers

namespace vantage::tls {
namespace {

// A loopback listener whose accepted sockets get `behave(fd)`.
class Peer {
 public:
  explicit Peer(std::function<void(int)> behave) : behave_(std::move(behave)) {
    lfd_ = peers::listen_loopback(port_);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept(lfd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        behave_(c);
      }
    });
  }
  ~Peer() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    thread_.join();
    ::close(lfd_);
  }
  Connector connector() const { return connector_to(port_); }

 private:
  std::function<void(int)> behave_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

ScanOptions quick() {
  ScanOptions o;
  o.per_hello = std::chrono::milliseconds(300);
  return o;
}

TEST(Scanner, SilentServerTimesOutWithinTheDeadline) {
  std::vector<int> held;
  std::mutex mu;
  {
    Peer p([&](int fd) {
      std::lock_guard l(mu);
      held.push_back(fd);  // accept and say nothing
    });
    auto t0 = Clock::now();
    auto r = scan(p.connector(), quick(), Deadline::in(std::chrono::milliseconds(3000)));
    auto took = Clock::now() - t0;
    EXPECT_LT(took, std::chrono::milliseconds(1500));  // per-hello bound, versions in parallel
    ASSERT_EQ(r.versions.size(), 5u);
    for (const auto& v : r.versions) {
      EXPECT_FALSE(v.accepted);
      EXPECT_EQ(v.first.kind, HelloOutcome::Kind::kTimeout);
    }
  }
  for (int fd : held) ::close(fd);
}

TEST(Scanner, CloseResetAndGarbageAreTold) {
  {
    Peer p([](int fd) {
      char buf[4096];
      (void)::recv(fd, buf, sizeof buf, 0);
      ::close(fd);
    });
    auto r = scan(p.connector(), quick(), Deadline::in(std::chrono::milliseconds(3000)));
    for (const auto& v : r.versions) {
      EXPECT_EQ(v.first.kind, HelloOutcome::Kind::kClosed);
      EXPECT_FALSE(v.determined());  // a close is not a refusal by itself
    }
  }
  {
    Peer p([](int fd) {
      char buf[4096];
      (void)::recv(fd, buf, sizeof buf, 0);
      linger lg{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      ::close(fd);  // RST
    });
    auto r = scan(p.connector(), quick(), Deadline::in(std::chrono::milliseconds(3000)));
    for (const auto& v : r.versions) EXPECT_EQ(v.first.kind, HelloOutcome::Kind::kReset);
  }
  {
    Peer p([](int fd) {
      char buf[4096];
      (void)::recv(fd, buf, sizeof buf, 0);
      const char resp[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
      (void)::send(fd, resp, sizeof resp - 1, MSG_NOSIGNAL);
      ::close(fd);
    });
    auto r = scan(p.connector(), quick(), Deadline::in(std::chrono::milliseconds(3000)));
    for (const auto& v : r.versions) EXPECT_EQ(v.first.kind, HelloOutcome::Kind::kGarbage);
  }
}

TEST(Scanner, HugeAnnouncedRecordDoesNotHang) {
  Peer p([](int fd) {
    char buf[4096];
    (void)::recv(fd, buf, sizeof buf, 0);
    const unsigned char hdr[] = {22, 3, 3, 0x3F, 0xFF, 2, 0, 0};  // 16 KiB promised, 3 sent
    (void)::send(fd, hdr, sizeof hdr, MSG_NOSIGNAL);
    ::usleep(500 * 1000);
    ::close(fd);
  });
  ScanOptions o = quick();
  o.versions = {Version::kTls12};
  auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(2000)));
  ASSERT_EQ(r.versions.size(), 1u);
  EXPECT_EQ(r.versions[0].first.kind, HelloOutcome::Kind::kTimeout);
  EXPECT_FALSE(r.versions[0].accepted);
}

}  // namespace
}  // namespace vantage::tls

namespace vantage::tls {
namespace {

// A server that drops any hello larger than 512 bytes and otherwise answers
// with a TLS 1.2 ServerHello for AES128-SHA (and ServerHelloDone).
TEST(Scanner, HelloSizeIntolerantServerIsRetriedWithCommonSuites) {
  Peer p([](int fd) {
    unsigned char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 512 || n < 11 || buf[9] != 3 || buf[10] != 3) {  // only TLS 1.2 hellos
      ::close(fd);
      return;
    }
    const unsigned char reply[] = {22, 3,  3,  0,  46, 2,    0,    0,  38, 3,  3,  1,  2,
                                   3,  4,  5,  6,  7,  8,    9,    10, 11, 12, 13, 14, 15,
                                   16, 17, 18, 19, 20, 21,   22,   23, 24, 25, 26, 27, 28,
                                   29, 30, 31, 32, 0,  0x00, 0x2F, 0,  14, 0,  0,  0};
    (void)::send(fd, reply, sizeof reply, MSG_NOSIGNAL);
    ::usleep(20 * 1000);
    ::close(fd);
  });
  ScanOptions o = quick();
  o.versions = {Version::kTls12};
  auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(3000)));
  ASSERT_EQ(r.versions.size(), 1u);
  EXPECT_TRUE(r.versions[0].accepted);
  ASSERT_FALSE(r.versions[0].notes.empty());
  EXPECT_NE(r.versions[0].notes[0].find("common suites"), std::string::npos);
  ASSERT_FALSE(r.versions[0].suites.empty());
  EXPECT_EQ(r.versions[0].suites[0].code, 0x002F);
}

}  // namespace
}  // namespace vantage::tls

namespace vantage::tls {
namespace {

// Answers the first TLS 1.2 hello that offers AES128-SHA with a ServerHello
// for it, then closes every later connection without a word: an enumeration
// cut short after one accepted suite, and again on the sequential retry.
TEST(Scanner, CloseAfterAnAcceptedSuiteIsTruncationNotTheEnd) {
  std::atomic<int> answered{0};
  Peer p([&](int fd) {
    unsigned char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    const bool tls12 = n > 11 && buf[9] == 3 && buf[10] == 3;
    if (tls12 && answered++ == 0) {
      const unsigned char reply[] = {22, 3,  3,  0,  46, 2,    0,    0,  38, 3,  3,  1,  2,
                                     3,  4,  5,  6,  7,  8,    9,    10, 11, 12, 13, 14, 15,
                                     16, 17, 18, 19, 20, 21,   22,   23, 24, 25, 26, 27, 28,
                                     29, 30, 31, 32, 0,  0x00, 0x2F, 0,  14, 0,  0,  0};
      (void)::send(fd, reply, sizeof reply, MSG_NOSIGNAL);
    }
    ::close(fd);
  });
  ScanOptions o = quick();
  o.versions = {Version::kTls12};
  o.connect_ahead = false;  // counted exactly below; made ahead: scanner_ahead_test
  auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(3000)));
  ASSERT_EQ(r.versions.size(), 1u);
  const auto& v = r.versions[0];
  EXPECT_TRUE(v.accepted);
  ASSERT_EQ(v.suites.size(), 1u);
  EXPECT_TRUE(v.enumeration_truncated);
  EXPECT_EQ(v.untested.size(), legacy_suite_codes().size() - 1);
  EXPECT_EQ(std::count(v.untested.begin(), v.untested.end(), 0x002F), 0);
  bool resumed = false;
  for (const auto& n : v.notes) resumed |= n.find("resuming") != std::string::npos;
  EXPECT_TRUE(resumed);
  // The full list, one hello per lane (each cut), three sequential rounds.
  EXPECT_EQ(r.connections, 1 + o.lanes + 3);
}

// Lanes split the offer; their union must be exactly the server's set, in
// the hellos the split costs (one more per lane), and one lane must find the
// same set as the single offer-remove-repeat did.
TEST(Scanner, LanesFindExactlyTheServersSuites) {
  const std::vector<std::uint16_t> accepts = {0xC030, 0xC02F, 0x009D, 0x009C,
                                              0xC014, 0xC013, 0x0035, 0x002F};
  for (std::size_t lanes : {std::size_t{1}, std::size_t{4}, std::size_t{64}}) {
    Peer p([&](int fd) { choose_from(fd, accepts); });
    ScanOptions o = quick();
    o.versions = {Version::kTls12};
    o.lanes = lanes;
    o.connect_ahead = false;  // counted exactly below; made ahead: scanner_ahead_test
    auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(5000)));
    ASSERT_EQ(r.versions.size(), 1u);
    const auto& v = r.versions[0];
    EXPECT_TRUE(v.accepted);
    EXPECT_FALSE(v.enumeration_truncated) << lanes << " lanes";
    std::vector<std::uint16_t> found;
    for (const auto& su : v.suites) found.push_back(su.code);
    std::sort(found.begin(), found.end());
    auto want = accepts;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(found, want) << lanes << " lanes";
    const std::size_t used = std::min(lanes, legacy_suite_codes().size() - 1);
    EXPECT_EQ(r.connections, 1 + used + accepts.size() - 1)
        << lanes << " lanes" << ::testing::PrintToString(v.notes);
  }
}

// A lossy link: a hello whose SYN is lost twice outlives per_hello. Two such
// silences in a row (the lane's next hello, then the first sequential resume)
// must not leave the enumeration cut short while the deadline has room.
TEST(Scanner, SilencesAfterAnAnswerAreResumedUntilComplete) {
  const std::vector<std::uint16_t> accepts = {0xC030, 0xC02F, 0x009D, 0x0035, 0x002F};
  std::atomic<int> conn{0};
  Peer p([&](int fd) {
    const int n = ++conn;
    if (n == 2 || n == 3) {  // silent until the scanner gives up and closes
      unsigned char buf[4096];
      while (::recv(fd, buf, sizeof buf, 0) > 0) {
      }
      ::close(fd);
      return;
    }
    choose_from(fd, accepts);
  });
  ScanOptions o = quick();
  o.versions = {Version::kTls12};
  o.lanes = 1;
  auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(5000)));
  ASSERT_EQ(r.versions.size(), 1u);
  const auto& v = r.versions[0];
  EXPECT_TRUE(v.accepted);
  EXPECT_FALSE(v.enumeration_truncated);
  std::vector<std::uint16_t> found;
  for (const auto& su : v.suites) found.push_back(su.code);
  std::sort(found.begin(), found.end());
  auto want = accepts;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(found, want);
}

// The client_version of the hello on fd, peeked (0 if none came).
std::uint16_t peek_client_version(int fd) {
  unsigned char b[11];
  const ssize_t n = ::recv(fd, b, sizeof b, MSG_PEEK | MSG_WAITALL);
  return n == static_cast<ssize_t>(sizeof b) ? static_cast<std::uint16_t>(b[9] << 8 | b[10]) : 0;
}

// The same lossy link before any answer for a version: its first hello and
// the sequential retry both meet silence. It is asked again, as a cut-short
// enumeration is resumed, not left undetermined while the deadline has room.
TEST(Scanner, AVersionMetWithSilenceTwiceIsAskedAgain) {
  std::atomic<int> tls11{0};
  Peer p([&](int fd) {
    if (peek_client_version(fd) == 0x0302 && ++tls11 <= 2) {
      unsigned char buf[4096];
      while (::recv(fd, buf, sizeof buf, 0) > 0) {
      }
      ::close(fd);
      return;
    }
    choose_from(fd, {0xC02F});  // a TLS 1.2 ServerHello: TLS 1.1 is refused
  });
  ScanOptions o = quick();
  o.versions = {Version::kTls11, Version::kTls12};
  // One connection at a time: the peer serves one at a time, and a silent
  // TLS 1.1 connection first would also starve the TLS 1.2 hello beside it.
  o.parallel = false;
  auto r = scan(p.connector(), o, Deadline::in(std::chrono::milliseconds(5000)));
  ASSERT_EQ(r.versions.size(), 2u);
  const auto& v11 = r.versions[0];
  std::string notes;
  for (const auto& n : v11.notes) notes += n + "; ";
  EXPECT_TRUE(v11.refused) << notes;
  EXPECT_EQ(tls11.load(), 3) << notes;
  EXPECT_TRUE(r.versions[1].accepted);
}

}  // namespace
}  // namespace vantage::tls

namespace vantage::tls {
namespace {

// A TLS 1.2 server that serves connections side by side (a thread each) and
// counts how many were open at once.
class CountingPeer {
 public:
  explicit CountingPeer(std::vector<std::uint16_t> accepts) : accepts_(std::move(accepts)) {
    lfd_ = peers::listen_loopback(port_);
    thread_ = std::thread([this] {
      for (int n = 0; n < 1000; ++n) {
        int c = ::accept(lfd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        const int now = ++open_;
        for (int m = max_; now > m && !max_.compare_exchange_weak(m, now);) {
        }
        handlers_.emplace_back([this, c] {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let others overlap
          // Counted closed before the answer: a client that waits for it
          // before connecting again is never seen twice.
          --open_;
          choose_from(c, accepts_);
        });
      }
    });
  }
  ~CountingPeer() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    thread_.join();
    for (auto& h : handlers_) h.join();
    ::close(lfd_);
  }
  std::uint16_t port() const { return port_; }
  int max_open() const { return max_; }

 private:
  std::vector<std::uint16_t> accepts_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0}, max_{0};
  std::vector<std::thread> handlers_;
  std::thread thread_;
};

// `parallel: false` is for a service with a session limit: one connection at
// a time, lanes included; the parallel scan does
// overlap (so the count can tell them apart), and both find the same suites.
TEST(Scanner, NotParallelMeansOneConnectionAtATime) {
  const std::vector<std::uint16_t> accepts = {0xC030, 0xC02F, 0x009D, 0x009C, 0xC014, 0x002F};
  std::vector<std::uint16_t> found[2];
  int max_open[2] = {0, 0};
  for (bool parallel : {false, true}) {
    CountingPeer p(accepts);
    ScanOptions o = quick();
    o.versions = {Version::kTls12};
    o.parallel = parallel;
    auto r = scan(connector_to(p.port()), o, Deadline::in(std::chrono::milliseconds(5000)));
    ASSERT_EQ(r.versions.size(), 1u);
    EXPECT_FALSE(r.versions[0].enumeration_truncated);
    for (const auto& su : r.versions[0].suites) found[parallel].push_back(su.code);
    std::sort(found[parallel].begin(), found[parallel].end());
    max_open[parallel] = p.max_open();
  }
  EXPECT_EQ(max_open[0], 1);
  EXPECT_GT(max_open[1], 1);
  auto want = accepts;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(found[0], want);
  EXPECT_EQ(found[1], want);
}

}  // namespace
}  // namespace vantage::tls

namespace vantage::tls {
namespace {

// A scan alone in the process gets every lane it asks for; with many scans
// running (a fleet), fewer: they already fill the run.
TEST(Scanner, LanesNarrowWhileManyScansRun) {
  EXPECT_EQ(lanes_while_busy(8, 1), 8u);
  EXPECT_EQ(lanes_while_busy(8, 8), 8u);
  EXPECT_EQ(lanes_while_busy(8, 9), 4u);
  EXPECT_EQ(lanes_while_busy(8, 65), 2u);
  EXPECT_EQ(lanes_while_busy(1, 500), 1u);
  EXPECT_EQ(lanes_while_busy(3, 20), 3u);
}

}  // namespace
}  // namespace vantage::tls
