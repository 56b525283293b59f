// Hostile API servers: endless words, endless sentences, giant announced
// lengths, one byte per second. The probe must end in `error` within its
// deadline, with the decoder limits (not memory) stopping it.
#include <gtest/gtest.h>

#include <fstream>

#include "routeros/sentence.hpp"
#include "routeros/word.hpp"
#include "tests/probes/peers/fake_server.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using testing::FakeServer;

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

std::string word(const std::string& w) {
  std::vector<std::uint8_t> b;
  routeros::append_word(b, w);
  return std::string(b.begin(), b.end());
}

// Streams `chunk` (after the first request) until the client leaves, the
// test ends, or 10 s pass.
FakeServer::Handler streamer(std::string first, std::string chunk) {
  return [first, chunk](int fd, const std::atomic<bool>& stop) {
    FakeServer::read_some(fd, 1000);
    if (!FakeServer::send_all(fd, first)) return;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!stop && std::chrono::steady_clock::now() < end)
      if (!FakeServer::send_all(fd, chunk)) return;
  };
}

testing::CheckRun probe(const FakeServer& srv, int timeout_ms) {
  testing::RunOptions o;
  o.port = srv.port();
  o.timeout = std::chrono::milliseconds(timeout_ms);
  return testing::run_check("routeros-api", R"({"expect": "api"})", o);
}

TEST(Hostile, EndlessWordsTripTheWordLimit) {
  std::string many;
  for (int i = 0; i < 100; ++i) many += word("=a=b");
  FakeServer srv(streamer(word("!re"), many));
  const long before = rss_kb();
  auto out = probe(srv, 3000);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.obs->error.find("decoder limit"), std::string::npos) << out.obs->error;
  EXPECT_LT(out.elapsed_ms, 3000);
  EXPECT_LT(rss_kb() - before, 16 * 1024);
}

TEST(Hostile, EndlessSentencesTripTheSentenceCap) {
  FakeServer srv(streamer("", word("!re") + word("=name=x") + std::string(1, '\0')));
  auto out = probe(srv, 3000);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.obs->error.find("sentences in one reply without !done"), std::string::npos)
      << out.obs->error;
  EXPECT_LT(out.elapsed_ms, 3000);
}

TEST(Hostile, GiantAnnouncedLengthIsRejectedBeforeAllocation) {
  // "!re", then a word announcing 4 GiB - 1, then filler.
  const std::string giant = word("!re") + std::string("\xf0\xff\xff\xff\xff", 5);
  FakeServer srv(streamer(giant, std::string(4096, 'A')));
  const long before = rss_kb();
  auto out = probe(srv, 3000);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.obs->error.find("decoder limit"), std::string::npos) << out.obs->error;
  EXPECT_LT(out.elapsed_ms, 3000);
  EXPECT_LT(rss_kb() - before, 16 * 1024);
}

TEST(Hostile, GiantLengthAsFirstWord) {
  // 0x0FFFFFFF announced in a 4-byte prefix as the very first word.
  FakeServer srv(streamer(std::string("\xef\xff\xff\xff", 4), std::string(4096, '!')));
  auto out = probe(srv, 3000);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_LT(out.elapsed_ms, 3000);
}

TEST(Hostile, OneBytePerSecondEndsAtTheDeadline) {
  FakeServer srv([](int fd, const std::atomic<bool>& stop) {
    FakeServer::read_some(fd, 1000);
    routeros::Sentence trap{"!trap", "=message=invalid user name or password (6)"};
    auto bytes = trap.encode();
    for (std::size_t i = 0; i < bytes.size() && !stop; ++i) {
      if (!FakeServer::send_all(fd, std::string(1, static_cast<char>(bytes[i])))) return;
      for (int t = 0; t < 10 && !stop; ++t)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const int timeout = 2500;
  auto out = probe(srv, timeout);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;
  EXPECT_NE(out.obs->error.find("unfinished sentence"), std::string::npos) << out.obs->error;
  EXPECT_GE(out.elapsed_ms, timeout - 100);
  EXPECT_LT(out.elapsed_ms, timeout + 500);
}

// Silence after accept proves nothing (a tarpit, a loaded router, loss): it is
// an error at the deadline, never "no-api".
TEST(Hostile, SilentServerIsAnErrorAtTheDeadline) {
  FakeServer srv([](int fd, const std::atomic<bool>& stop) {
    for (int t = 0; t < 50 && !stop; ++t) FakeServer::read_some(fd, 100);
  });
  // Silence proves neither a service nor a refusal, so no expectation is
  // decided on it: not "api" (a failure would name a cause it cannot prove),
  // not "no-api", not "not-api", not the object form.
  auto out = probe(srv, 1000);
  EXPECT_EQ(out.verdict.status, Status::kError) << out.verdict.message;  // expected "api"
  EXPECT_EQ(out.verdict.observed, "no-api (silent)");
  EXPECT_NE(out.verdict.message.find("silence is neither"), std::string::npos)
      << out.verdict.message;
  EXPECT_EQ(out.verdict.message.find("service enabled"), std::string::npos) << out.verdict.message;
  EXPECT_LT(out.elapsed_ms, 1500);
  testing::RunOptions o;
  o.port = srv.port();
  o.timeout = std::chrono::milliseconds(1000);
  for (const char* expect : {R"("no-api")", R"("not-api")", R"({"pre_login": "fatal"})"}) {
    auto other =
        testing::run_check("routeros-api", std::string(R"({"expect": )") + expect + "}", o);
    EXPECT_EQ(other.verdict.status, Status::kError) << expect << ": " << other.verdict.message;
    EXPECT_NE(other.verdict.message.find("silen"), std::string::npos) << other.verdict.message;
  }
}

}  // namespace
}  // namespace vantage::probes
