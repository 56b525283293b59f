// net::tcp_connect on loopback, without privileges. A listener whose accept
// queue is full drops further SYNs silently: a "filtered" port with no
// firewall. "filtered" needs at least one SYN that had a real chance to be
// answered; a deadline spent before that is an error.
#include "net/tcp_connect.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "core/unique_fd.hpp"
#include "net/sockaddr.hpp"
#include "tests/support/topology.hpp"

using namespace vantage;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

// listen(0) holds one connection in the accept queue; with that one never
// accepted, the queue is full and the kernel drops every later SYN.
class SilentPort {
 public:
  SilentPort() {
    auto any = net::SockAddr::parse("127.0.0.1", 0);
    listen_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::bind(listen_.get(), any->sa(), any->len()) != 0 || ::listen(listen_.get(), 0) != 0)
      throw std::runtime_error("listen failed");
    addr_ = *net::SockAddr::local_of(listen_.get());
    filler_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::connect(filler_.get(), addr_.sa(), addr_.len()) != 0)
      throw std::runtime_error("filler connect failed");
  }
  const net::SockAddr& addr() const { return addr_; }

 private:
  UniqueFd listen_, filler_;
  net::SockAddr addr_;
};

net::SourceSpec any_source() {
  net::SourceSpec s;
  s.name = "lo";
  return s;
}

}  // namespace

TEST(TcpConnect, SilentPortWithTimeIsFiltered) {
  SilentPort port;
  net::ConnectOptions opt;
  auto r = net::tcp_connect(any_source(), port.addr(), opt,
                            Deadline::in(std::chrono::milliseconds(500)));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.outcome, net::TcpOutcome::kFiltered);
  EXPECT_EQ(r.attempts.size(), 1u);
}

TEST(TcpConnect, ExpiredDeadlineIsAnErrorNotFiltered) {
  SilentPort port;
  net::ConnectOptions opt;
  opt.attempts = 2;
  auto r = net::tcp_connect(any_source(), port.addr(), opt,
                            Deadline(Clock::now() - std::chrono::milliseconds(1)));
  EXPECT_THAT(r.error, HasSubstr("before any SYN"));
  EXPECT_TRUE(r.attempts.empty());
}

TEST(TcpConnect, NearlySpentDeadlineIsAnErrorNotFiltered) {
  SilentPort port;
  net::ConnectOptions opt;
  opt.attempts = 2;
  auto r =
      net::tcp_connect(any_source(), port.addr(), opt, Deadline::in(std::chrono::milliseconds(30)));
  EXPECT_THAT(r.error, HasSubstr("not enough time"));
  // The short budget went to one SYN, not split into two hopeless ones.
  EXPECT_EQ(r.attempts.size(), 1u);
}

TEST(TcpConnect, ShortSharesAreMergedIntoOneRealAttempt) {
  SilentPort port;
  net::ConnectOptions opt;
  opt.attempts = 4;  // 4 x 75 ms would be below the minimum; 1 x 300 ms is not
  auto r = net::tcp_connect(any_source(), port.addr(), opt,
                            Deadline::in(std::chrono::milliseconds(300)));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.outcome, net::TcpOutcome::kFiltered);
  EXPECT_EQ(r.attempts.size(), 1u);
}

TEST(TcpConnect, LoopbackOpenAndClosedStillClassify) {
  SilentPort unused;
  auto any = net::SockAddr::parse("127.0.0.1", 0);
  UniqueFd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(::bind(l.get(), any->sa(), any->len()), 0);
  ASSERT_EQ(::listen(l.get(), 8), 0);
  auto open = *net::SockAddr::local_of(l.get());
  auto r = net::tcp_connect(any_source(), open, {}, Deadline::in(std::chrono::milliseconds(1000)));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.outcome, net::TcpOutcome::kOpen);
  l.reset();  // nothing listens there now: RST
  r = net::tcp_connect(any_source(), open, {}, Deadline::in(std::chrono::milliseconds(1000)));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.outcome, net::TcpOutcome::kClosed);
}

// The same through the vantage binary: a check whose budget cannot give a SYN
// a real chance errors instead of passing filtered / not-open / no-api.
TEST(TcpConnect, ProbesErrorWhenNoSynHadAChance) {
  SilentPort port;
  vantage::testing::TempDir tmp;
  const std::string p = std::to_string(port.addr().port());
  tmp.write("s.json", R"({
    "vantage": 1, "name": "short",
    "target": {"host": "127.0.0.1"},
    "sources": {"lo": {"address": "127.0.0.1"}},
    "defaults": {"timeout_ms": 20, "attempts": 2},
    "checks": [
      {"id": "filtered", "probe": "tcp", "port": )" +
                          p + R"(, "from": "lo", "expect": "filtered"},
      {"id": "not-open", "probe": "tcp", "port": )" +
                          p + R"(, "from": "lo", "expect": "not-open"},
      {"id": "no-api", "probe": "routeros-api", "port": )" +
                          p + R"(, "tls": false, "from": "lo",
       "expect": "no-api"}
    ]})");
  std::string out, err;
  const int rc = vantage::testing::run_vantage(
      {"run", tmp.file("s.json"), "--json", tmp.file("r.json"), "--no-color"}, &out, &err);
  EXPECT_EQ(rc, 2) << out << err;
  const json report = json::parse(tmp.read("r.json"));
  int n = 0;
  for (const auto& sc : report["scenarios"])
    for (const auto& t : sc["targets"])
      for (const auto& c : t["checks"]) {
        ++n;
        EXPECT_EQ(c["verdict"]["status"], "error") << c.dump(2);
        EXPECT_THAT(c["verdict"]["message"].get<std::string>(), HasSubstr("not enough time"));
      }
  EXPECT_EQ(n, 3);
}
