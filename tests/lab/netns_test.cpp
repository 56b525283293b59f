// The lab listening on an address inside a network namespace, reached over a
// veth pair from another namespace: the source address the lab sees, logs
// and restricts on is the client's real one. Label: root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

#include "api_client.hpp"
#include "core/unique_fd.hpp"
#include "lab/router.hpp"
#include "lab_fixture.hpp"
#include "tests/support/topology.hpp"

namespace vantage::lab {
namespace {

// Runs `fn` on a thread that has entered namespace `ns`; sockets it creates live there.
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

TEST(LabNetns, ServesInsideANamespace) {
  vantage::testing::Netns rtr("labr"), cli("labc");
  vantage::testing::link(rtr, "192.0.2.1/24", cli, "192.0.2.10/24");
  auto cfg = testing::base_config();
  cfg.listen = {"192.0.2.1"};
  cfg.services["api"].port = 8728;  // the namespace is ours: the real port is free
  std::unique_ptr<Router> router;
  in_netns(rtr, [&] {
    router = std::make_unique<Router>(cfg);
    router->start();
  });
  ASSERT_TRUE(router && router->running());
  in_netns(cli, [&] {
    testing::ApiClient c;
    ASSERT_TRUE(c.connect(8728, "192.0.2.10", "192.0.2.1"));
    EXPECT_TRUE(c.login("audit", "auditpw"));
    auto rep = c.call(routeros::Sentence{"/system/identity/print"});
    ASSERT_EQ(rep.size(), 2u);
    EXPECT_EQ(rep[0].attr("name"), "lab-rtr");
  });
  auto log = router->log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0].message, "user audit logged in from 192.0.2.10 via api");
  router->stop();
}

TEST(LabNetns, AddressListRejectsTheOtherNamespace) {
  vantage::testing::Netns rtr("labr"), cli("labc");
  vantage::testing::link(rtr, "192.0.2.1/24", cli, "192.0.2.10/24");
  auto cfg = testing::base_config();
  cfg.listen = {"192.0.2.1"};
  cfg.services["api"].port = 8728;
  cfg.services["api"].address = {*Prefix::parse("192.0.2.99/32")};
  cfg.services["api"].disallowed = Disallowed::kReset;
  std::unique_ptr<Router> router;
  in_netns(rtr, [&] {
    router = std::make_unique<Router>(cfg);
    router->start();
  });
  in_netns(cli, [&] {
    testing::ApiClient c;
    ASSERT_TRUE(c.connect(8728, "192.0.2.10", "192.0.2.1"));
    c.send(routeros::Sentence{"/login", "=name=audit", "=password=auditpw"});
    EXPECT_EQ(c.wait_end(2000), testing::ReadEnd::kReset);
  });
  EXPECT_EQ(router->stats().refused_address, 1u);
  router->stop();
}

}  // namespace
}  // namespace vantage::lab
