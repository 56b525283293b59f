// The lab router over real loopback sockets: services, address restriction
// modes, session limits, deadlines, hostile clients and capacity.
#include "lab/router.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "api_client.hpp"
#include "lab_fixture.hpp"
#include "routeros/word.hpp"

namespace vantage::lab {
namespace {

using routeros::Sentence;
using testing::ApiClient;
using testing::ReadEnd;

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

TEST(Router, PlainLoginPrintAndLog) {
  Router r(testing::base_config());
  r.start();
  ASSERT_NE(r.port("api"), 0);
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api"), "127.0.0.2"));
  EXPECT_TRUE(c.login("audit", "auditpw"));
  auto rep = c.call(Sentence{"/system/identity/print", ".tag=1"});
  ASSERT_EQ(rep.size(), 2u);
  EXPECT_EQ(rep[0].attr("name"), "lab-rtr");
  EXPECT_EQ(rep[0].tag(), "1");
  EXPECT_FALSE(c.login("audit", "nope"));
  auto log = r.log();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0].message, "user audit logged in from 127.0.0.2 via api");
  EXPECT_EQ(log[1].message, "login failure for user audit from 127.0.0.2 via api");
  EXPECT_EQ(r.port("api-ssl"), 0);
}

TEST(Router, FatalNotLoggedInThenClose) {
  Router r(testing::base_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  auto rep = c.call(Sentence{"/system/resource/print"});
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0].words, (std::vector<std::string>{"!fatal", "not logged in"}));
  EXPECT_EQ(c.wait_end(2000), ReadEnd::kEof);
}

// accept-delay-ms: a slow board. The served connection says nothing for the
// delay, then answers normally; a refused one is not delayed.
TEST(Router, AcceptDelayHoldsServedConnectionsOnly) {
  auto cfg = testing::base_config();
  cfg.services["api"].accept_delay = std::chrono::milliseconds(600);
  cfg.services["api"].address = {*Prefix::parse("127.0.0.1/32")};
  cfg.services["api"].disallowed = lab::Disallowed::kClose;
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api"), "127.0.0.1"));
  const auto t0 = std::chrono::steady_clock::now();
  auto rep = c.call(Sentence{"/system/resource/print"});
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0].words, (std::vector<std::string>{"!fatal", "not logged in"}));
  EXPECT_GE(ms, 550);
  ApiClient refused;
  ASSERT_TRUE(refused.connect(r.port("api"), "127.0.0.2"));
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(refused.wait_end(2000), ReadEnd::kEof);
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(400));
}

class Disallowed : public ::testing::TestWithParam<std::pair<lab::Disallowed, ReadEnd>> {};

TEST_P(Disallowed, ClientOutsideAddressList) {
  auto cfg = testing::base_config();
  cfg.services["api"].address = {*Prefix::parse("127.0.0.2/32")};
  cfg.services["api"].disallowed = GetParam().first;
  cfg.limits.login_timeout = std::chrono::milliseconds(1500);
  Router r(cfg);
  r.start();
  // Allowed source works.
  ApiClient ok;
  ASSERT_TRUE(ok.connect(r.port("api"), "127.0.0.2"));
  EXPECT_TRUE(ok.login("admin", "secret"));
  // Disallowed source: the handshake completes, then reset / close / silence.
  ApiClient bad;
  ASSERT_TRUE(bad.connect(r.port("api"), "127.0.0.3"));
  bad.send(Sentence{"/login", "=name=admin", "=password=secret"});
  EXPECT_EQ(bad.wait_end(700), GetParam().second);
  if (GetParam().first == lab::Disallowed::kSilent) {
    // ...and silence ends at the lab's login deadline, without a byte sent.
    EXPECT_EQ(bad.wait_end(3000), ReadEnd::kEof);
  }
  EXPECT_EQ(r.stats().refused_address, 1u);
  for (const auto& e : r.log()) EXPECT_NE(e.address, "127.0.0.3") << "never reached login";
}

INSTANTIATE_TEST_SUITE_P(Modes, Disallowed,
                         ::testing::Values(std::pair{lab::Disallowed::kReset, ReadEnd::kReset},
                                           std::pair{lab::Disallowed::kClose, ReadEnd::kEof},
                                           std::pair{lab::Disallowed::kSilent, ReadEnd::kTimeout}));

TEST(Router, MaxSessions) {
  auto cfg = testing::base_config();
  cfg.services["api"].max_sessions = 2;
  Router r(cfg);
  r.start();
  ApiClient a, b, extra;
  ASSERT_TRUE(a.connect(r.port("api")));
  ASSERT_TRUE(a.login("admin", "secret"));
  ASSERT_TRUE(b.connect(r.port("api")));
  ASSERT_TRUE(b.login("admin", "secret"));
  ASSERT_TRUE(extra.connect(r.port("api")));
  extra.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto end = extra.wait_end(2000);
  EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset);
  EXPECT_EQ(r.stats().refused_sessions, 1u);
  a.close();
  // The freed slot is usable once the lab has seen the close.
  bool ok = false;
  for (int i = 0; i < 50 && !ok; ++i) {
    ApiClient again;
    ok = again.connect(r.port("api")) && again.login("admin", "secret");
    if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(ok);
}

TEST(Router, LoginDeadlineClosesIdleClient) {
  auto cfg = testing::base_config();
  cfg.limits.login_timeout = std::chrono::milliseconds(300);
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.wait_end(3000), ReadEnd::kEof);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2000));
}

TEST(Router, IdleDeadlineAfterLogin) {
  auto cfg = testing::base_config();
  cfg.limits.idle_timeout = std::chrono::milliseconds(400);
  Router r(cfg);
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("admin", "secret"));
  EXPECT_EQ(c.wait_end(3000), ReadEnd::kEof);
}

TEST(Router, HostileFourGigabytePrefixIsDroppedAtOnce) {
  Router r(testing::base_config());
  r.start();
  for (bool logged_in : {false, true}) {
    ApiClient c;
    ASSERT_TRUE(c.connect(r.port("api")));
    if (logged_in) {
      ASSERT_TRUE(c.login("admin", "secret"));
    }
    const long before = rss_kb();
    ASSERT_TRUE(c.send_bytes({0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 'a', 'b'}));
    auto t0 = std::chrono::steady_clock::now();
    auto end = c.wait_end(3000);
    EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset) << static_cast<int>(end);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    EXPECT_LT(rss_kb() - before, 8 * 1024) << "KiB";
  }
  EXPECT_GE(r.stats().protocol_errors, 2u);
  ApiClient after;
  ASSERT_TRUE(after.connect(r.port("api")));
  EXPECT_TRUE(after.login("admin", "secret")) << "the lab still serves";
}

TEST(Router, TenMegabyteSentenceBeforeLoginIsDropped) {
  Router r(testing::base_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  const long before = rss_kb();
  // One sentence of 10 MB: many 1000-byte attribute words, sent as fast as the lab reads.
  std::vector<std::uint8_t> chunk;
  routeros::append_word(chunk, "/login");
  while (chunk.size() < 64 * 1024) routeros::append_word(chunk, "=x=" + std::string(996, 'y'));
  std::size_t sent = 0;
  bool send_failed = false;
  auto t0 = std::chrono::steady_clock::now();
  while (sent < 10u * 1024 * 1024 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    pollfd p{c.fd(), POLLOUT, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) {
      send_failed = true;
      break;
    }
    ssize_t n = ::send(c.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN) {
      send_failed = true;
      break;
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  EXPECT_TRUE(send_failed) << "the lab should drop the client long before 10 MB; sent " << sent;
  EXPECT_LT(sent, 10u * 1024 * 1024);
  EXPECT_LT(rss_kb() - before, 16 * 1024) << "KiB";
  EXPECT_GE(r.stats().protocol_errors, 1u);
  ApiClient after;
  ASSERT_TRUE(after.connect(r.port("api")));
  EXPECT_TRUE(after.login("admin", "secret"));
}

TEST(Router, ManyConcurrentSessions) {
  auto cfg = testing::base_config();
  cfg.limits.max_connections = 400;
  Router r(cfg);
  r.start();
  constexpr int kClients = 300;
  std::vector<ApiClient> clients(kClients);
  for (auto& c : clients) {
    ASSERT_TRUE(c.connect(r.port("api")));
    ASSERT_TRUE(c.send(Sentence{"/login", "=name=audit", "=password=auditpw"}));
  }
  for (auto& c : clients) ASSERT_EQ(c.until_done().at(0).command(), "!done");
  for (std::size_t i = 0; i < clients.size(); ++i)
    ASSERT_TRUE(clients[i].send(Sentence{"/system/identity/print", ".tag=" + std::to_string(i)}));
  for (std::size_t i = 0; i < clients.size(); ++i) {
    auto rep = clients[i].until_done();
    ASSERT_EQ(rep.size(), 2u);
    EXPECT_EQ(rep[0].tag(), std::to_string(i));
  }
  EXPECT_EQ(r.stats().active, static_cast<std::uint64_t>(kClients));
  auto t0 = std::chrono::steady_clock::now();
  r.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  for (auto& c : clients) {
    auto end = c.wait_end(2000);
    EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset);
  }
}

TEST(Router, ConnectionCapRefusesBeyondLimit) {
  auto cfg = testing::base_config();
  cfg.limits.max_connections = 20;
  Router r(cfg);
  r.start();
  std::vector<ApiClient> clients(25);
  for (auto& c : clients) ASSERT_TRUE(c.connect(r.port("api")));
  int served = 0, refused = 0;
  for (auto& c : clients) {
    c.send(Sentence{"/login", "=name=audit", "=password=auditpw"});
    auto rep = c.until_done(2000);
    if (!rep.empty() && rep[0].command() == "!done")
      ++served;
    else
      ++refused;
  }
  EXPECT_EQ(served, 20);
  EXPECT_EQ(refused, 5);
  EXPECT_EQ(r.stats().refused_capacity, 5u);
}

TEST(Router, ListenSeesOtherSessionsLogins) {
  Router r(testing::base_config());
  r.start();
  ApiClient watcher, other;
  ASSERT_TRUE(watcher.connect(r.port("api")));
  ASSERT_TRUE(watcher.login("admin", "secret"));
  ASSERT_TRUE(watcher.send(Sentence{"/log/listen", ".tag=L"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(other.connect(r.port("api"), "127.0.0.4"));
  ASSERT_TRUE(other.login("audit", "auditpw"));
  Sentence s;
  ASSERT_EQ(watcher.read(s), ReadEnd::kSentence);
  EXPECT_EQ(s.command(), "!re");
  EXPECT_EQ(s.tag(), "L");
  EXPECT_EQ(s.attr("message"), "user audit logged in from 127.0.0.4 via api");
  auto rep = watcher.call(Sentence{"/cancel", "=tag=L", ".tag=C"});
  ASSERT_GE(rep.size(), 2u);
  EXPECT_EQ(rep[0].attr("message"), "interrupted");
  EXPECT_EQ(rep[0].tag(), "L");
  EXPECT_EQ(rep[1].tag(), "C");
}

TEST(Router, QuitClosesAndLogsLogout) {
  Router r(testing::base_config());
  r.start();
  ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  ASSERT_TRUE(c.login("admin", "secret"));
  auto rep = c.call(Sentence{"/quit"});
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0].attr("x"), std::nullopt);
  EXPECT_EQ(rep[0].words.at(1), "session terminated on request");
  EXPECT_EQ(c.wait_end(2000), ReadEnd::kEof);
  bool logged_out = false;
  for (int i = 0; i < 50 && !logged_out; ++i) {
    for (const auto& e : r.log()) logged_out |= e.kind == LogEntry::Kind::kLogout;
    if (!logged_out) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(logged_out);
}

TEST(Router, BindFailureThrows) {
  Router a(testing::base_config());
  a.start();
  auto cfg = testing::base_config();
  cfg.services["api"].port = a.port("api");
  Router b(cfg);
  EXPECT_THROW(b.start(), Error);
}

TEST(Router, SelfSignedCaIsAvailable) {
  auto cfg = testing::base_config();
  cfg.services["api-ssl"] = testing::tls_service("api-ssl", Certificate::Kind::kSelfSigned);
  Router r(cfg);
  r.start();
  EXPECT_NE(r.port("api-ssl"), 0);
  EXPECT_EQ(r.ca_pem().rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
}

}  // namespace
}  // namespace vantage::lab

namespace vantage::lab {
namespace {

TEST(Router, RestartsAfterStop) {
  Router r(testing::base_config());
  r.start();
  r.stop();
  r.start();
  testing::ApiClient c;
  ASSERT_TRUE(c.connect(r.port("api")));
  EXPECT_TRUE(c.login("admin", "secret"));
}

}  // namespace
}  // namespace vantage::lab
