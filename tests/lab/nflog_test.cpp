// The router's firewall log from real dropped packets: the nft ruleset the
// lab config implies is loaded in the router's namespace, a client from an
// address the firewall drops sends a real SYN, and the lab's /log gets
// RouterOS's firewall line for it (over NFLOG), on the router's skewed
// clock. Runs at every link profile (root).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/socket.h>

#include <ctime>
#include <regex>
#include <thread>

#include "api_client.hpp"
#include "core/unique_fd.hpp"
#include "lab/nft.hpp"
#include "lab/router.hpp"
#include "lab_fixture.hpp"
#include "tests/support/topology.hpp"

namespace vantage::lab {
namespace {

template <typename Fn>
void in_netns(const vantage::testing::Netns& ns, Fn fn) {
  std::thread t([&] {
    UniqueFd fd(::open(("/run/netns/" + ns.name()).c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd) << "open netns";
    ASSERT_EQ(::setns(fd.get(), CLONE_NEWNET), 0) << "setns";
    fn();
  });
  t.join();
}

LabConfig firewalled(bool log) {
  LabConfig c = testing::base_config();
  c.listen = {"192.0.2.1"};
  c.services["api"].port = 8728;
  c.system.clock_skew = std::chrono::seconds(90);
  c.nflog_group = 5;
  c.address_list = {{"mgmt", *Prefix::parse("192.0.2.10/32"), "", false}};
  FilterRule accept;
  accept.protocol = "tcp";
  accept.dst_port = "8728,8729";
  accept.src_address_list = "mgmt";
  FilterRule drop = accept;
  drop.src_address_list.clear();
  drop.action = "drop";
  drop.log = log;
  drop.log_prefix = "DROP API: ";
  c.filter = {accept, drop};
  return c;
}

// A SYN to 192.0.2.1:8728 from 192.0.2.77:40000 (dropped: nobody answers).
void send_syn() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(fd);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(40000);
  inet_pton(AF_INET, "192.0.2.77", &sa.sin_addr);
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  sockaddr_in da{};
  da.sin_family = AF_INET;
  da.sin_port = htons(8728);
  inet_pton(AF_INET, "192.0.2.1", &da.sin_addr);
  ::connect(fd.get(), reinterpret_cast<sockaddr*>(&da), sizeof da);
  // Keep the socket (and its SYN retransmissions) until the log has the line.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
}

TEST(LabNflog, DroppedSynIsLoggedAsRouterOsDoes) {
  vantage::testing::Netns rtr("nflr"), cli("nflc");
  vantage::testing::link(rtr, "192.0.2.1/24", cli, "192.0.2.10/24");
  cli.exec(
      "sh -c 'ip addr add 192.0.2.77/24 dev $(ip -o link show type veth | cut -d: -f2 | "
      "cut -d@ -f1 | tr -d \" \")'");
  const LabConfig cfg = firewalled(true);
  rtr.nft(nft_ruleset(cfg));
  std::unique_ptr<Router> router;
  in_netns(rtr, [&] {
    router = std::make_unique<Router>(cfg);
    router->start();
  });
  ASSERT_TRUE(router && router->running());
  // mgmt is let in and logs in: no firewall line for it.
  in_netns(cli, [&] {
    testing::ApiClient c;
    ASSERT_TRUE(c.connect(8728, "192.0.2.10", "192.0.2.1"));
    EXPECT_TRUE(c.login("audit", "auditpw"));
  });
  in_netns(cli, [&] { send_syn(); });
  // The line arrives within the link's delay; bounded by 10 s for lossy links.
  const std::regex line(
      "DROP API: input: in:[^ ]+ out:\\(unknown 0\\), src-mac ([0-9A-F]{2}:){5}[0-9A-F]{2}, "
      "proto TCP \\(SYN\\), 192\\.0\\.2\\.77:40000->192\\.0\\.2\\.1:8728, len [0-9]+");
  std::optional<LogEntry> hit;
  for (int i = 0; i < 100 && !hit; ++i) {
    for (const auto& e : router->log())
      if (std::regex_match(e.message, line)) hit = e;
    if (!hit) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string all;
  for (const auto& e : router->log()) all += e.topics + " " + e.message + "\n";
  ASSERT_TRUE(hit) << all;
  EXPECT_EQ(hit->topics, "firewall,info");
  for (const auto& e : router->log())
    EXPECT_EQ(e.message.find("192.0.2.10:"), std::string::npos) << e.message;
  // Stamped with the router's clock: 90 s ahead of the host's.
  std::tm tm{};
  ASSERT_TRUE(strptime(hit->time.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) << hit->time;
  EXPECT_NEAR(static_cast<double>(timegm(&tm) - std::time(nullptr)), 90, 15) << hit->time;
  router->stop();
}

}  // namespace
}  // namespace vantage::lab
