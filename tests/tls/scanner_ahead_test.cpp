// Connections made ahead (ScanOptions::connect_ahead): each lane's next
// connection is made while its current hello is answered. They must change
// nothing a scan finds, carry the lane's later hellos (not merely be made),
// and never carry a hello once the server has dropped them.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "tests/tls/hello_peer.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/scanner.hpp"

namespace vantage::tls {
namespace {

using std::chrono::milliseconds;

// A TLS 1.2 server with a thread per connection: it answers a hello from
// `accepts` after `delay`, and closes a connection that sent nothing for
// `patience` (a server that drops idle connections). It counts the hellos
// and the connections that never carried one.
class Server {
 public:
  Server(std::vector<std::uint16_t> accepts, milliseconds delay, milliseconds patience)
      : accepts_(std::move(accepts)), delay_(delay), patience_(patience) {
    lfd_ = peers::listen_loopback(port_);
    accepting_ = std::thread([this] {
      for (int n = 0; n < 1000; ++n) {
        const int c = ::accept(lfd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        std::lock_guard lock(mu_);
        handlers_.emplace_back([this, c] { serve(c); });
      }
    });
  }
  ~Server() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    accepting_.join();
    std::lock_guard lock(mu_);
    for (auto& h : handlers_) h.join();
    ::close(lfd_);
  }
  std::uint16_t port() const { return port_; }
  int hellos() const { return hellos_; }
  int without_hello() const { return without_hello_; }
  int dropped() const { return dropped_; }

 private:
  void serve(int c) {
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(patience_.count())) == 0) {
      ++dropped_;
      ++without_hello_;
      ::close(c);
      return;
    }
    const auto offer = peers::offered_suites(c);
    if (offer.empty()) {  // closed by the client without a byte
      ++without_hello_;
      ::close(c);
      return;
    }
    ++hellos_;
    std::this_thread::sleep_for(delay_);
    const auto pick =
        std::find_first_of(offer.begin(), offer.end(), accepts_.begin(), accepts_.end());
    std::vector<unsigned char> out;
    if (pick == offer.end()) {
      out = {21, 3, 3, 0, 2, 2, 40};  // handshake_failure
    } else {
      out = {22, 3, 3, 0, 44, 2, 0, 0, 40, 3, 3};
      out.resize(out.size() + 32, 7);  // random
      out.insert(out.end(), {0, static_cast<unsigned char>(*pick >> 8),
                             static_cast<unsigned char>(*pick & 0xff), 0, 0, 0});
    }
    (void)::send(c, out.data(), out.size(), MSG_NOSIGNAL);
    ::close(c);
  }

  std::vector<std::uint16_t> accepts_;
  milliseconds delay_, patience_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> hellos_{0}, without_hello_{0}, dropped_{0};
  std::mutex mu_;
  std::vector<std::thread> handlers_;
  std::thread accepting_;
};

const std::vector<std::uint16_t> kAccepts = {0xC030, 0xC02F, 0x009D, 0x009C,
                                             0xC014, 0xC013, 0x0035, 0x002F};

std::vector<std::uint16_t> sorted_codes(const VersionResult& v) {
  std::vector<std::uint16_t> out;
  for (const auto& s : v.suites) out.push_back(s.code);
  std::sort(out.begin(), out.end());
  return out;
}

// A TLS 1.2 scan of `srv` in `lanes` lanes, connections made ahead.
ScanResult scan_tls12(const Server& srv, std::size_t lanes, milliseconds per_hello) {
  ScanOptions o;
  o.versions = {Version::kTls12};
  o.lanes = lanes;
  o.per_hello = per_hello;
  return scan(peers::connector_to(srv.port()), o, Deadline::in(10 * per_hello));
}

bool resumed(const VersionResult& v) {
  return std::any_of(v.notes.begin(), v.notes.end(),
                     [](const std::string& n) { return n.find("resuming") != std::string::npos; });
}

// 4 lanes find the 7 suites after the first: 12 hellos. Each lane's hellos
// after its first go out on the connection it made ahead, so the scan makes
// 16 connections, the 4 left over (one per lane, made while its last hello,
// the alert, was answered) closed without a byte; were they only made and not
// used, each of the 12 hellos would make its own.
TEST(ConnectAhead, LanesHellosGoOutOnTheConnectionsMadeAhead) {
  Server srv(kAccepts, milliseconds(20), milliseconds(5000));
  const auto r = scan_tls12(srv, 4, milliseconds(2000));
  ASSERT_EQ(r.versions.size(), 1u);
  const auto& v = r.versions[0];
  EXPECT_FALSE(v.enumeration_truncated) << ::testing::PrintToString(v.notes);
  auto want = kAccepts;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(sorted_codes(v), want);
  EXPECT_EQ(srv.hellos(), 1 + 4 + 7);
  EXPECT_EQ(r.connections, 1 + 4 + 7 + 4u);
  EXPECT_FALSE(resumed(v)) << ::testing::PrintToString(v.notes);
}

// The same scan with connections made ahead and without finds the same set.
TEST(ConnectAhead, FindsWhatTheScanWithoutFinds) {
  std::vector<std::uint16_t> found[2];
  for (bool ahead : {false, true}) {
    Server srv(kAccepts, milliseconds(0), milliseconds(5000));
    ScanOptions o;
    o.versions = {Version::kTls12};
    o.connect_ahead = ahead;
    auto r = scan(peers::connector_to(srv.port()), o, Deadline::in(milliseconds(10000)));
    ASSERT_EQ(r.versions.size(), 1u);
    EXPECT_FALSE(r.versions[0].enumeration_truncated);
    found[ahead] = sorted_codes(r.versions[0]);
  }
  EXPECT_EQ(found[0], found[1]);
  EXPECT_EQ(found[1].size(), kAccepts.size());
}

// A server that drops a connection idle for 100 ms, while each answer takes
// 400 ms: every connection made ahead is dropped before its lane needs it.
// The lane must see that and connect afresh, not send its hello into a
// closed connection (that would cut the lane short, and the scan would then
// resume sequentially).
TEST(ConnectAhead, AConnectionTheServerDroppedCarriesNoHello) {
  Server srv(kAccepts, milliseconds(400), milliseconds(100));
  const auto r = scan_tls12(srv, 2, milliseconds(3000));
  ASSERT_EQ(r.versions.size(), 1u);
  const auto& v = r.versions[0];
  EXPECT_FALSE(v.enumeration_truncated) << ::testing::PrintToString(v.notes);
  EXPECT_FALSE(resumed(v)) << ::testing::PrintToString(v.notes);
  EXPECT_EQ(v.suites.size(), kAccepts.size());
  EXPECT_GE(srv.dropped(), 2);  // the test did what it says
  EXPECT_EQ(srv.hellos(), 1 + 2 + 7);
}

}  // namespace
}  // namespace vantage::tls
