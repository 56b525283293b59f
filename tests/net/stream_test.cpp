// net::answer_window: how long silence must last on a real connection before
// it means anything.
#include "net/stream.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/probes/peers/fake_server.hpp"
#include "tests/probes/peers/loopback.hpp"

namespace vantage::net {
namespace {

using namespace std::chrono_literals;

TEST(AnswerWindow, CountsFourPeerRetransmitTimeoutsOfAtLeastOneSecond) {
  testing::FakeServer srv([](int, const std::atomic<bool>&) {});
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(srv.port());
  ASSERT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  // A peer that has sampled no RTT resends after 1 s, then 2 s more.
  const auto w = answer_window(fd.get(), 500ms);
  EXPECT_GE(w, 4000ms);
  EXPECT_LT(w, 6000ms);  // loopback: a few microseconds of RTT, a 200 ms RTO
  EXPECT_EQ(answer_window(fd.get(), 9000ms), 9000ms);  // the floor wins
}

TEST(AnswerWindow, NotATcpSocketGivesTheFloor) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  EXPECT_EQ(answer_window(r.get(), 700ms), 700ms);
}

}  // namespace
}  // namespace vantage::net
