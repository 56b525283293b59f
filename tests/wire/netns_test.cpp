// `vantage wire` for real: two namespaces joined by a veth pair, the wire in
// the "router" one, and what a client measures through it. Label: root.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "core/unique_fd.hpp"
#include "net/source.hpp"
#include "net/tcp_connect.hpp"
#include "tests/support/link_profile.hpp"
#include "tests/support/topology.hpp"

namespace vantage::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

class WireNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    veth(rtr_, "192.0.2.1/24", cli_, "192.0.2.10/24");
    listener_ = std::make_unique<TcpListener>(rtr_.name(), "0.0.0.0", 0, true);
  }

  // One TCP handshake from the client namespace; its RTT in ms, or -1 if it
  // did not complete within `ms`.
  double connect_rtt(const std::string& from, const std::string& to, int ms = 2000) {
    net::SourceSpec src;
    src.name = "client";
    src.netns = from;
    auto dst = net::SockAddr::parse(to, static_cast<std::uint16_t>(listener_->port()));
    const auto t0 = std::chrono::steady_clock::now();
    auto r = net::tcp_connect(src, *dst, net::ConnectOptions{},
                              Deadline::in(std::chrono::milliseconds(ms)));
    if (r.outcome != net::TcpOutcome::kOpen) return -1;
    const double wall =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r.attempts.empty() || r.attempts.back().rtt_ms <= 0 ? wall : r.attempts.back().rtt_ms;
  }

  // `n` connects' RTTs, sorted. A wire must never deliver early, so every
  // sample is held to the lower bound; late is the scheduler's (a loaded CI
  // machine deschedules the wire for tens of ms), so the upper bound is held
  // by the median.
  std::vector<double> rtts(int n, const std::string& from, const std::string& to) {
    std::vector<double> v;
    for (int i = 0; i < n; ++i) v.push_back(connect_rtt(from, to));
    std::sort(v.begin(), v.end());
    return v;
  }
  static double median(const std::vector<double>& v) { return v[v.size() / 2]; }

  std::string mangle_rules() const {
    return rtr_.exec("sh -c 'iptables-save -t mangle; ip6tables-save -t mangle'");
  }

  Netns rtr_{"wr"}, cli_{"wc"};
  std::unique_ptr<TcpListener> listener_;
};

TEST_F(WireNetns, ConnectRttIsTwiceTheDelayPlusAtMostTheJitter) {
  ASSERT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0) << "the veth link itself works";
  Wire wire(rtr_.name(), {"--delay", "50ms", "--jitter", "5ms", "--seed", "1"});
  const auto v = rtts(10, cli_.name(), "192.0.2.1");
  EXPECT_GE(v.front(), 100.0) << "SYN in + SYN-ACK out, 50 ms each";
  EXPECT_LT(median(v), 110.0 + 30.0) << "max " << v.back();  // 2 x (delay + jitter) + slack
}

TEST_F(WireNetns, AsymmetricDelaysAddUp) {
  Wire wire(rtr_.name(), {"--ingress-delay", "80ms", "--egress-delay", "20ms"});
  const auto v = rtts(5, cli_.name(), "192.0.2.1");
  EXPECT_GE(v.front(), 100.0);
  EXPECT_LT(median(v), 130.0) << "max " << v.back();
}

TEST_F(WireNetns, TwoPercentLossOverAThousandDatagrams) {
  Wire wire(rtr_.name(), {"--ingress-loss", "2%", "--seed", "7"});
  UniqueFd rx, tx;
  net::run_in_netns(rtr_.name(),
                    [&] { rx.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)); });
  net::run_in_netns(cli_.name(),
                    [&] { tx.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)); });
  int big = 4 << 20;
  ::setsockopt(rx.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(9999);
  a.sin_addr.s_addr = htonl(0xC0000201);  // 192.0.2.1
  ASSERT_EQ(::bind(rx.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  const int sent = 1000;
  for (int i = 0; i < sent; ++i) {
    ASSERT_EQ(::sendto(tx.get(), &i, sizeof(i), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 4);
    if (i % 50 == 49)
      std::this_thread::sleep_for(2ms);  // gentle: the bound is not what is measured
  }
  int received = 0;
  pollfd p{rx.get(), POLLIN, 0};
  while (received<sent&& ::poll(&p, 1, 500)> 0) {
    int v;
    if (::recv(rx.get(), &v, sizeof(v), 0) == 4) ++received;
  }
  const int lost = sent - received;
  // Binomial(1000, 0.02): mean 20, sd 4.4; about 4 sd either side.
  EXPECT_GE(lost, 4);
  EXPECT_LE(lost, 40);
  ASSERT_EQ(wire.stop(), 0) << wire.log();
  // The wire's own count: the same losses, give or take packets that are not
  // ours (the namespace's own IPv6 neighbour traffic can cross during the run).
  std::smatch m;
  const std::string log = wire.log();
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(ingress \(.*\): passed (\d+), lost (\d+),)")))
      << log;
  const int passed = std::stoi(m[1]), wire_lost = std::stoi(m[2]);
  const int foreign = passed + wire_lost - sent;
  ASSERT_GE(foreign, 0) << log;
  ASSERT_LE(foreign, 5) << log;
  EXPECT_GE(wire_lost, lost) << log;
  EXPECT_LE(wire_lost, lost + foreign) << log;
  EXPECT_THAT(log, HasSubstr("dropped by bound 0"));
}

TEST_F(WireNetns, LoopbackModeDelaysLoopbackConnects) {
  const double before = connect_rtt(rtr_.name(), "127.0.0.1");
  ASSERT_GT(before, 0);
  EXPECT_LT(before, 20.0);
  Wire wire(rtr_.name(), {"--delay", "30ms", "--loopback"});
  const auto v = rtts(5, rtr_.name(), "127.0.0.1");
  EXPECT_GE(v.front(), 60.0) << "SYN and SYN-ACK each cross lo once";
  EXPECT_LT(median(v), 90.0) << "max " << v.back();
  // The veth side is delayed too, once each way.
  EXPECT_GE(connect_rtt(cli_.name(), "192.0.2.1"), 60.0);
}

TEST_F(WireNetns, RulesAreGoneAfterSigtermAndAfterDuration) {
  {
    Wire wire(rtr_.name(), {"--delay", "1ms", "--loopback"});
    const std::string rules = mangle_rules();
    EXPECT_THAT(rules, HasSubstr("-A PREROUTING ! -i lo -j VANTAGE_WIRE_IN"));
    EXPECT_THAT(rules, HasSubstr("-A VANTAGE_WIRE_OUT -j NFQUEUE --queue-num 7101"));
    EXPECT_THAT(rules, HasSubstr("-A OUTPUT -o lo -j VANTAGE_WIRE_LO"));
    EXPECT_THAT(rules, Not(HasSubstr("bypass")));
    EXPECT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0);
    EXPECT_EQ(wire.stop(), 0);
    EXPECT_THAT(wire.log(), HasSubstr("wire: ready"));
    EXPECT_THAT(wire.log(), HasSubstr("stopped by signal 15"));
    EXPECT_THAT(wire.log(), HasSubstr("wire: ingress (delay 1ms jitter 0ms loss 0%): passed"));
  }
  EXPECT_THAT(mangle_rules(), Not(HasSubstr("VANTAGE")));
  TempDir tmp;
  Process timed({VANTAGE_BINARY, "wire", "--netns", rtr_.name(), "--duration", "300ms"},
                tmp.file("log"));
  EXPECT_EQ(timed.wait(5000), 0) << tmp.read("log");
  EXPECT_THAT(tmp.read("log"), HasSubstr("stopped (duration)"));
  EXPECT_THAT(mangle_rules(), Not(HasSubstr("VANTAGE")));
  EXPECT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0);
}

TEST_F(WireNetns, WithoutTheDaemonTrafficStops) {
  auto wire = std::make_unique<Wire>(rtr_.name(), std::vector<std::string>{});
  ASSERT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0);
  ::kill(wire->pid(), SIGKILL);
  wire->stop();  // reaps it
  // Its rules stay and nobody serves the queues: fail closed, not open.
  EXPECT_THAT(mangle_rules(), HasSubstr("VANTAGE_WIRE_IN"));
  EXPECT_LT(connect_rtt(cli_.name(), "192.0.2.1", 1500), 0);
  // The next wire clears what the dead one left, and traffic flows again.
  wire = std::make_unique<Wire>(rtr_.name(), std::vector<std::string>{});
  EXPECT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0);
  EXPECT_EQ(wire->stop(), 0) << wire->log();
  EXPECT_THAT(mangle_rules(), Not(HasSubstr("VANTAGE")));
}

TEST_F(WireNetns, SecondWireInOneNamespaceIsRefused) {
  Wire first(rtr_.name(), {});
  TempDir tmp;
  Process second({VANTAGE_BINARY, "wire", "--netns", rtr_.name()}, tmp.file("log"));
  EXPECT_NE(second.wait(5000), 0);
  EXPECT_THAT(tmp.read("log"), HasSubstr("another `vantage wire`"));
  EXPECT_GT(connect_rtt(cli_.name(), "192.0.2.1"), 0) << "the first one still serves";
}

}  // namespace
}  // namespace vantage::testing
