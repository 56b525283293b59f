// The run capture's stop waits for the connections it saw established to end
// in it (the last close and the peer's answer, about a round trip later),
// and for nothing else: not for a SYN that was refused, and no longer than
// drain_ms, after which it names what was still open. On every link profile
// (PROFILES): a fixed wait was too short for a long link and too long for a
// short one. Needs root (a live capture on lo).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "capture/run_capture.hpp"
#include "core/unique_fd.hpp"

namespace vantage::capture {
namespace {

using namespace std::chrono_literals;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A listener on 127.0.0.1, port chosen by the kernel.
UniqueFd listener(std::uint16_t& port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(::listen(fd.get(), 16), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

UniqueFd connected(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in a = loopback(port);
  EXPECT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << port;
  return fd;
}

std::unique_ptr<RunCapture> capture_of(std::uint16_t port, std::chrono::milliseconds drain) {
  CaptureConfig cfg;
  cfg.interface = "lo";
  cfg.file.clear();  // no pcap: the analysis is what this test reads
  cfg.drain = drain;
  return RunCapture::start(cfg, {{"127.0.0.1", port}});
}

TEST(CaptureDrain, StopsOnceTheConnectionsItSawHaveEnded) {
  std::uint16_t port = 0;
  UniqueFd lfd = listener(port);
  auto cap = capture_of(port, 20s);   // far beyond any profile's round trip
  std::this_thread::sleep_for(50ms);  // the capture thread is polling
  // Three connections as a probe makes them: connect, send, close. The server
  // reads to the end, then closes: its FIN is a round trip behind ours.
  std::thread server([&] {
    for (int i = 0; i < 3; ++i) {
      UniqueFd c(::accept(lfd.get(), nullptr, nullptr));
      char buf[64];
      while (::read(c.get(), buf, sizeof buf) > 0) {
      }
    }
  });
  for (int i = 0; i < 3; ++i) {
    UniqueFd c = connected(port);
    ASSERT_EQ(::write(c.get(), "hello", 5), 5);
  }
  server.join();
  auto ev = cap->stop();
  ASSERT_TRUE(ev->ok()) << ev->error;
  EXPECT_EQ(ev->open_at_stop, 0u);
  EXPECT_LT(ev->drained, 20s);  // it ended on the connections, not on its bound
  std::size_t ended = 0;
  for (const auto& f : ev->analysis.flows) ended += f.syn_seen && f.fin_seen;
  EXPECT_EQ(ended, 3u) << ev->analysis.flows.size() << " flows";
}

TEST(CaptureDrain, ARefusedConnectionIsNotWaitedFor) {
  std::uint16_t port = 0;
  { UniqueFd gone = listener(port); }  // nothing listens there now: RST
  auto cap = capture_of(port, 20s);
  std::this_thread::sleep_for(50ms);
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in a = loopback(port);
  EXPECT_NE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  auto ev = cap->stop();
  ASSERT_TRUE(ev->ok()) << ev->error;
  EXPECT_EQ(ev->open_at_stop, 0u);
  EXPECT_LT(ev->drained, 20s);
}

TEST(CaptureDrain, AtItsBoundItNamesTheConnectionsStillOpen) {
  std::uint16_t port = 0;
  UniqueFd lfd = listener(port);
  auto cap = capture_of(port, 300ms);
  std::this_thread::sleep_for(50ms);
  UniqueFd client = connected(port);
  UniqueFd server(::accept(lfd.get(), nullptr, nullptr));
  ASSERT_EQ(::write(client.get(), "x", 1), 1);
  char b;
  ASSERT_EQ(::read(server.get(), &b, 1), 1);  // the handshake is in the capture by now
  auto ev = cap->stop();                      // both ends still open
  ASSERT_TRUE(ev->ok()) << ev->error;
  EXPECT_EQ(ev->open_at_stop, 1u);
  EXPECT_GE(ev->drained, 300ms);
}

}  // namespace
}  // namespace vantage::capture
