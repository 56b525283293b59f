#include "lab/api_session.hpp"

#include <gtest/gtest.h>

#include "lab_fixture.hpp"
#include "routeros/legacy_login.hpp"
#include "routeros/word.hpp"

namespace vantage::lab {
namespace {

using routeros::Sentence;
using W = std::vector<std::string>;

class Driver {
 public:
  explicit Driver(LabConfig cfg, std::string peer = "192.0.2.10")
      : model_(std::move(cfg)), session_(model_, "api", std::move(peer)) {}

  // Sends one sentence; returns every reply and whether the session closes.
  std::vector<Sentence> send(const Sentence& s) {
    session_.feed(s.encode());
    return drain();
  }
  std::vector<Sentence> drain() {
    std::vector<std::uint8_t> out;
    ApiSession::Step st;
    closed_ = false;
    while ((st = session_.step(out)) == ApiSession::Step::kProgress) {
    }
    closed_ = st == ApiSession::Step::kClose;
    session_.take_pushed(out);
    return decode(out);
  }
  static std::vector<Sentence> decode(const std::vector<std::uint8_t>& bytes) {
    routeros::Limits l;
    l.max_bytes_before_login = 0;
    routeros::Decoder d(l);
    d.feed(bytes);
    std::vector<Sentence> out;
    Sentence s;
    while (d.next(s) == routeros::Decoder::State::kSentence) out.push_back(s);
    return out;
  }
  bool closed() const { return closed_; }
  RouterModel& model() { return model_; }
  ApiSession& session() { return session_; }

 private:
  RouterModel model_;
  ApiSession session_;
  bool closed_ = false;
};

TEST(ApiSession, LoginSucceedsAndIsLogged) {
  Driver d(testing::base_config());
  auto r = d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, W{"!done"});
  auto log = d.model().log().entries();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].kind, LogEntry::Kind::kLoginOk);
  EXPECT_EQ(log[0].message, "user admin logged in from 192.0.2.10 via api");
  EXPECT_EQ(log[0].user, "admin");
  EXPECT_EQ(log[0].address, "192.0.2.10");
  EXPECT_EQ(log[0].service, "api");
}

TEST(ApiSession, LoginFailureExactTextSocketStaysOpen) {
  Driver d(testing::base_config());
  auto r = d.send(Sentence{"/login", "=name=admin", "=password=wrong", ".tag=7"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].words, (W{"!trap", "=message=invalid user name or password (6)", ".tag=7"}));
  EXPECT_EQ(r[1].words, (W{"!done", ".tag=7"}));
  EXPECT_FALSE(d.closed());
  auto log = d.model().log().entries();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].kind, LogEntry::Kind::kLoginFailed);
  EXPECT_EQ(log[0].message, "login failure for user admin from 192.0.2.10 via api");
  EXPECT_EQ(log[0].message.find("wrong"), std::string::npos);
  // A later correct login on the same socket works.
  r = d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  EXPECT_EQ(r.at(0).words, W{"!done"});
}

TEST(ApiSession, UnknownUserAndGroupWithoutApiPolicyFail) {
  Driver d(testing::base_config());
  EXPECT_EQ(d.send(Sentence{"/login", "=name=nobody", "=password=x"}).at(0).command(), "!trap");
  EXPECT_EQ(d.send(Sentence{"/login", "=name=console", "=password=consolepw"}).at(0).command(),
            "!trap");
}

TEST(ApiSession, UserAddressRestriction) {
  auto cfg = testing::base_config();
  cfg.users[0].address = {*Prefix::parse("198.51.100.0/24")};
  Driver d(cfg);
  EXPECT_EQ(d.send(Sentence{"/login", "=name=admin", "=password=secret"}).at(0).command(), "!trap");
}

TEST(ApiSession, CommandBeforeLoginIsFatal) {
  Driver d(testing::base_config());
  auto r = d.send(Sentence{"/system/identity/print"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, (W{"!fatal", "not logged in"}));
  EXPECT_TRUE(d.closed());
}

TEST(ApiSession, QuitIsFatalAndCloses) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/quit"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, (W{"!fatal", "session terminated on request"}));
  EXPECT_TRUE(d.closed());
}

TEST(ApiSession, IdentityPrintAndSetWithTags) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/system/identity/print", ".tag=a1"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].words, (W{"!re", "=name=lab-rtr", ".tag=a1"}));
  EXPECT_EQ(r[1].words, (W{"!done", ".tag=a1"}));
  r = d.send(Sentence{"/system/identity/set", "=name=core-1", ".tag=a2"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, (W{"!done", ".tag=a2"}));
  EXPECT_EQ(d.model().identity(), "core-1");
}

TEST(ApiSession, WriteWithoutWritePolicyIsDenied) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=audit", "=password=auditpw"});
  auto r = d.send(Sentence{"/system/identity/set", "=name=x", ".tag=9"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].words, (W{"!trap", "=message=not enough permissions (9)", ".tag=9"}));
  EXPECT_EQ(r[1].words, (W{"!done", ".tag=9"}));
  EXPECT_EQ(d.model().identity(), "lab-rtr");
}

TEST(ApiSession, UnknownCommandsGetRouterOsTraps) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/system/routerboard/print"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].words, (W{"!trap", "=message=no such command or directory (routerboard)"}));
  EXPECT_EQ(r[1].words, (W{"!trap", "=message=no such command prefix"}));
  EXPECT_EQ(r[2].words, W{"!done"});
  r = d.send(Sentence{"/system/identity/frobnicate"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].words, (W{"!trap", "=message=no such command"}));
}

TEST(ApiSession, PrintQueryAndProplist) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/user/print", "?group=audit"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].attr("name"), "audit");
  EXPECT_EQ(r[0].attr("password"), std::nullopt);
  r = d.send(Sentence{"/user/print", "=.proplist=name", "?name=admin", "?name=audit", "?#|"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].words, (W{"!re", "=name=admin"}));
  EXPECT_EQ(r[1].words, (W{"!re", "=name=audit"}));
}

TEST(ApiSession, EmptyPrintGetsEmptyThenDoneOnNewFirmware) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/user/print", "?name=ghost", ".tag=5"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].words, (W{"!empty", ".tag=5"}));
  EXPECT_EQ(r[1].words, (W{"!done", ".tag=5"}));

  auto old = testing::base_config();
  old.version = "7.15";
  Driver o(old);
  o.send(Sentence{"/login", "=name=admin", "=password=secret"});
  r = o.send(Sentence{"/user/print", "?name=ghost"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, W{"!done"});
}

TEST(ApiSession, ServicePrintReflectsConfig) {
  auto cfg = testing::base_config();
  cfg.services["api"].port = 18728;
  cfg.services["api"].address = {*Prefix::parse("192.0.2.0/24")};
  Driver d(cfg);
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/ip/service/print", "?name=api"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].attr("port"), "18728");
  EXPECT_EQ(r[0].attr("address"), "192.0.2.0/24");
  EXPECT_EQ(r[0].attr("disabled"), "false");
  r = d.send(Sentence{"/ip/service/print", "?name=api-ssl"});
  EXPECT_EQ(r.at(0).attr("disabled"), "true");
}

TEST(ApiSession, ResourceAndLogPrint) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  auto r = d.send(Sentence{"/system/resource/print"});
  EXPECT_EQ(r.at(0).attr("version"), "7.21 (stable)");
  EXPECT_EQ(r.at(0).attr("platform"), "MikroTik");
  r = d.send(Sentence{"/log/print"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].attr("message"), "user admin logged in from 192.0.2.10 via api");
  EXPECT_EQ(r[0].attr("topics"), "system,info,account");
}

TEST(ApiSession, ListenStreamsAndCancelInterrupts) {
  Driver d(testing::base_config());
  d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  EXPECT_TRUE(d.send(Sentence{"/log/listen", ".tag=10"}).empty());
  d.model().log().append(
      LogEntry{0, "", "system,info", "hello", LogEntry::Kind::kOther, "", "", ""});
  auto r = d.drain();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].attr("message"), "hello");
  EXPECT_EQ(r[0].tag(), "10");
  r = d.send(Sentence{"/cancel", "=tag=10", ".tag=11"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].words, (W{"!trap", "=category=2", "=message=interrupted", ".tag=10"}));
  EXPECT_EQ(r[1].words, (W{"!done", ".tag=11"}));
  EXPECT_EQ(r[2].words, (W{"!done", ".tag=10"}));
  d.model().log().append(
      LogEntry{0, "", "system,info", "after", LogEntry::Kind::kOther, "", "", ""});
  EXPECT_TRUE(d.drain().empty());
}

TEST(ApiSession, LegacyChallengeLogin) {
  auto cfg = testing::base_config();
  cfg.version = "6.42";
  Driver d(cfg);
  // A new-style login on an old router only gets a challenge back.
  auto r = d.send(Sentence{"/login", "=name=admin", "=password=secret"});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].command(), "!done");
  auto ret = r[0].attr("ret");
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->size(), 32u);
  EXPECT_FALSE(d.session().logged_in());
  auto resp = routeros::legacy_login_response("secret", *ret);
  r = d.send(Sentence{"/login", "=name=admin", "=response=" + *resp});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].words, W{"!done"});
  EXPECT_TRUE(d.session().logged_in());
}

TEST(ApiSession, LegacyChallengeWrongResponse) {
  auto cfg = testing::base_config();
  cfg.version = "6.40";
  Driver d(cfg);
  auto ret = d.send(Sentence{"/login"}).at(0).attr("ret");
  ASSERT_TRUE(ret);
  auto r = d.send(Sentence{"/login", "=name=admin", "=response=00" + std::string(32, '0')});
  EXPECT_EQ(r.at(0).words, (W{"!trap", "=message=invalid user name or password (6)"}));
}

TEST(ApiSession, ModernRouterRefusesBareLogin) {
  Driver d(testing::base_config());
  auto r = d.send(Sentence{"/login"});
  EXPECT_EQ(r.at(0).command(), "!trap");
  EXPECT_EQ(r.at(0).attr("ret"), std::nullopt);
}

TEST(ApiSession, BytesBeforeLoginCapped) {
  Driver d(testing::base_config());
  std::vector<std::uint8_t> junk;
  while (junk.size() < 20000) routeros::append_word(junk, "=x=" + std::string(100, 'y'));
  d.session().feed(junk);
  d.drain();
  EXPECT_TRUE(d.closed());
  EXPECT_EQ(d.session().close_reason(), "more than 16384 bytes received before login");
}

}  // namespace
}  // namespace vantage::lab
