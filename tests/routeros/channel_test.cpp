// routeros::Channel against a scripted server on loopback: how a reply ends
// (done, fatal, close, reset, silence, not API, protocol), the bounds, and
// what the observer sees.
#include "routeros/channel.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"

namespace vantage::routeros {
namespace {

using End = Channel::End;

// A connected pair over 127.0.0.1: `server` is blocking, `client` a PlainStream.
struct Pair {
  UniqueFd server;
  std::unique_ptr<net::PlainStream> client;

  Pair() {
    UniqueFd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(l.get(), reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(l.get(), 1), 0);
    EXPECT_EQ(::getsockname(l.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
    UniqueFd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    EXPECT_EQ(::connect(c.get(), reinterpret_cast<sockaddr*>(&a), len), 0);
    server.reset(::accept(l.get(), nullptr, nullptr));
    ::fcntl(c.get(), F_SETFL, ::fcntl(c.get(), F_GETFL) | O_NONBLOCK);
    client = std::make_unique<net::PlainStream>(std::move(c));
  }
  void send(const std::vector<std::uint8_t>& b) {
    ASSERT_EQ(::send(server.get(), b.data(), b.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(b.size()));
  }
  void send(const Sentence& s) { send(s.encode()); }
  void reset() {
    linger l{1, 0};
    ::setsockopt(server.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    server.reset();
  }
};

struct Recorder : Channel::Observer {
  std::vector<std::string> seen;
  void sent(const Sentence& s) override { seen.push_back("sent " + s.command()); }
  void received(const Sentence& s) override { seen.push_back("received " + s.command()); }
  void event(const std::string& t) override { seen.push_back("event " + t); }
  std::string quote(const std::string&) const override { return "<masked>"; }
};

Deadline soon() {
  return Deadline::in(std::chrono::milliseconds(2000));
}

TEST(Channel, ReadsAReplyUntilDone) {
  Pair p;
  Recorder rec;
  Channel ch(*p.client, Limits{}, &rec);
  net::IoResult io;
  ASSERT_TRUE(ch.send(Sentence{"/system/identity/print"}, soon(), io));
  p.send(Sentence{"!re", "=name=lab"});
  p.send(Sentence{"!done"});
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kDone);
  ASSERT_EQ(r.sentences.size(), 2u);
  EXPECT_EQ(r.first(), "!re");
  EXPECT_FALSE(r.trapped());
  EXPECT_EQ(rec.seen, (std::vector<std::string>{"sent /system/identity/print", "received !re",
                                                "received !done"}));
  EXPECT_GT(ch.bytes_received(), 0u);
}

TEST(Channel, FatalAndTrapAreReplies) {
  Pair p;
  Channel ch(*p.client, Limits{});
  p.send(Sentence{"!trap", "=message=not enough permissions (9)"});
  p.send(Sentence{"!done"});
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kDone);
  EXPECT_TRUE(r.trapped());
  EXPECT_EQ(r.message(), "not enough permissions (9)");
  p.send(Sentence{"!fatal", "not logged in"});
  r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kFatal);
  EXPECT_EQ(r.message(), "not logged in");
}

TEST(Channel, TellsCloseResetAndSilenceApart) {
  {
    Pair p;
    Channel ch(*p.client, Limits{});
    p.server.reset();
    EXPECT_EQ(ch.read_reply(soon()).end, End::kEof);
  }
  {
    Pair p;
    Channel ch(*p.client, Limits{});
    p.reset();
    EXPECT_EQ(ch.read_reply(soon()).end, End::kReset);
  }
  {
    Pair p;
    Channel ch(*p.client, Limits{});
    EXPECT_EQ(ch.read_reply(Deadline::in(std::chrono::milliseconds(100))).end, End::kTimeout);
  }
}

TEST(Channel, NonApiBytesAreNotApi) {
  Pair p;
  Channel ch(*p.client, Limits{});
  const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
  p.send(std::vector<std::uint8_t>(http.begin(), http.end()));
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kNotApi);
  EXPECT_NE(r.detail.find("HTTP/1.1"), std::string::npos) << r.detail;
}

TEST(Channel, ACommandFromTheServerIsAProtocolBreakQuotedByTheObserver) {
  Pair p;
  Recorder rec;
  Channel ch(*p.client, Limits{}, &rec);
  p.send(Sentence{"!re"});
  p.send(Sentence{"/login", "=password=x"});
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kProtocol);
  EXPECT_EQ(r.sentences.size(), 1u);
  EXPECT_EQ(r.detail, "a reply sentence starts with \"<masked>\", not a reply word");
}

TEST(Channel, RepliesAreBoundedInSentences) {
  Pair p;
  Channel ch(*p.client, Limits{});
  std::vector<std::uint8_t> many;
  for (std::size_t i = 0; i < Channel::kMaxSentencesPerReply + 5; ++i) {
    auto b = Sentence{"!re", "=i=" + std::to_string(i)}.encode();
    many.insert(many.end(), b.begin(), b.end());
  }
  p.send(many);
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kProtocol);
  EXPECT_EQ(r.sentences.size(), Channel::kMaxSentencesPerReply);
}

TEST(Channel, DecoderLimitsApply) {
  Pair p;
  Limits small;
  small.max_word = 16;
  Channel ch(*p.client, small);
  p.send(Sentence{"!re", "=name=" + std::string(64, 'x')});
  auto r = ch.read_reply(soon());
  EXPECT_EQ(r.end, End::kProtocol);
  EXPECT_EQ(r.detail.rfind("decoder limit or framing error: ", 0), 0u) << r.detail;
}

TEST(Channel, NextReadsOneSentenceAtATime) {
  Pair p;
  Channel ch(*p.client, Limits{});
  p.send(Sentence{"!re", "=a=1"});
  Sentence s;
  End end = End::kDone;
  std::string detail;
  ASSERT_TRUE(ch.next(s, soon(), end, detail));
  EXPECT_EQ(s.attr("a"), "1");
  EXPECT_FALSE(ch.next(s, Deadline::in(std::chrono::milliseconds(50)), end, detail));
  EXPECT_EQ(end, End::kTimeout);
  EXPECT_STREQ(to_string(end), "timeout");
}

}  // namespace
}  // namespace vantage::routeros
