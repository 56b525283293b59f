// The capture check's judgement over crafted evidence: self-validation (all,
// some or none of vantage's SYNs seen), drops, missing capture, undecodable
// API-port flows, plaintext API, and the TLS witness expectation.
#include "probes/capture_probe.hpp"

#include <gtest/gtest.h>

#include "capture/run_capture.hpp"
#include "routeros/codec.hpp"
#include "tests/capture/frames.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using namespace vantage::capture::testing;
using capture::AnalysisResult;
using capture::Analyzer;

// 192.0.2.2 is the target; the client is 192.0.2.1.
const Target kTarget{"rtr", "192.0.2.2", ""};

// The capture check `check_json` over the run's evidence `ev`, with the
// connections vantage's other probes made (local, remote).
testing::CheckRun run(const std::string& check_json, std::shared_ptr<const capture::RunEvidence> ev,
                      const std::vector<std::pair<std::string, std::string>>& conns) {
  testing::RunOptions o;
  o.host = kTarget.host;
  o.target_name = kTarget.name;
  o.source = "";  // capture runs from no source
  o.timeout = std::chrono::seconds(1);
  o.capture = std::move(ev);
  for (const auto& [local, remote] : conns) o.connections.push_back({local, remote, {}});
  return testing::run_check("capture", check_json, o);
}

std::shared_ptr<capture::RunEvidence> evidence(const std::function<void(Feeder&)>& traffic,
                                               std::uint64_t dropped = 0) {
  Analyzer a;
  Feeder f(a);
  traffic(f);
  auto ev = std::make_shared<capture::RunEvidence>();
  ev->interface = "lo";
  ev->analysis = a.finish();
  ev->counters = capture::PcapCounters{ev->analysis.packets, dropped, 0};
  return ev;
}

// A TCP connection 192.0.2.1:PORT -> 192.0.2.2:DPORT with optional payload.
void conn(Feeder& f, std::uint16_t sport, std::uint16_t dport,
          const std::vector<std::uint8_t>& payload = {}) {
  Conversation c{f};
  c.sport = sport;
  c.dport = dport;
  c.handshake();
  if (!payload.empty()) c.client(payload);
  c.close();
}

const char* kNoPlain = R"({"expect": "no-plaintext-api"})";

TEST(CaptureProbe, PassesOnlyWithEveryOwnSynSeenAndNoDrops) {
  auto ev = evidence([](Feeder& f) {
    conn(f, 40000, 8729);
    conn(f, 40001, 22);
  });
  auto j = run(kNoPlain, ev,
               {{"192.0.2.1:40000", "192.0.2.2:8729"}, {"192.0.2.1:40001", "192.0.2.2:22"}});
  EXPECT_EQ(j.verdict.status, Status::kPass) << j.verdict.message;
}

TEST(CaptureProbe, NoneOfOurSynsIsAnError) {
  auto ev = evidence([](Feeder& f) { conn(f, 40000, 8729); });
  auto j = run(kNoPlain, ev, {{"192.0.2.1:50000", "192.0.2.2:8729"}});
  EXPECT_EQ(j.verdict.status, Status::kError);
  EXPECT_NE(j.verdict.message.find("saw none"), std::string::npos) << j.verdict.message;
}

TEST(CaptureProbe, SomeOfOurSynsMissingIsAnError) {
  auto ev = evidence([](Feeder& f) { conn(f, 40000, 8729); });
  auto j = run(kNoPlain, ev,
               {{"192.0.2.1:40000", "192.0.2.2:8729"}, {"192.0.2.1:40002", "192.0.2.2:8729"}});
  EXPECT_EQ(j.verdict.status, Status::kError);
  EXPECT_NE(j.verdict.message.find("only 1 of"), std::string::npos) << j.verdict.message;
}

TEST(CaptureProbe, NoOwnConnectionIsAnError) {
  auto ev = evidence([](Feeder& f) { conn(f, 40000, 8729); });
  auto j = run(kNoPlain, ev, {});
  EXPECT_EQ(j.verdict.status, Status::kError);
}

TEST(CaptureProbe, DropsAreAnError) {
  auto ev = evidence([](Feeder& f) { conn(f, 40000, 8729); }, 3);
  auto j = run(kNoPlain, ev, {{"192.0.2.1:40000", "192.0.2.2:8729"}});
  EXPECT_EQ(j.verdict.status, Status::kError);
  EXPECT_NE(j.verdict.message.find("dropped 3"), std::string::npos) << j.verdict.message;
}

TEST(CaptureProbe, NoCaptureOrAFailedOneIsAnError) {
  EXPECT_EQ(run(kNoPlain, nullptr, {}).verdict.status, Status::kError);
  auto j = run(kNoPlain, capture::RunEvidence::failed("needs CAP_NET_RAW", true), {});
  EXPECT_EQ(j.verdict.status, Status::kError);
  EXPECT_NE(j.verdict.message.find("CAP_NET_RAW"), std::string::npos);
}

TEST(CaptureProbe, PlaintextApiFailsAndPointsAtPackets) {
  auto ev = evidence([](Feeder& f) {
    conn(f, 40000, 8728, routeros::Sentence{"/login", "=name=admin", "=password=hunter2"}.encode());
  });
  auto j = run(kNoPlain, ev, {{"192.0.2.1:40000", "192.0.2.2:8728"}});
  EXPECT_EQ(j.verdict.status, Status::kFail);
  EXPECT_NE(j.verdict.message.find("critical"), std::string::npos) << j.verdict.message;
  EXPECT_NE(j.verdict.message.find("pcap packets #4"), std::string::npos) << j.verdict.message;
  EXPECT_EQ(j.obs->evidence().dump().find("hunter2"), std::string::npos);
}

// After its TLS handshake to api-ssl timed out, the routeros-api probe sends
// its plaintext detection /login there; unanswered, that is vantage's own
// traffic only: the check passes and says so as information. An answer in
// the API, or the probe's user name with a secret, still fails.
TEST(CaptureProbe, OwnUnansweredDetectionLoginOnApiSslIsInformation) {
  const auto own = routeros::Sentence{"/login", "=name=vantage-probe", "=password="}.encode();
  const std::vector<std::pair<std::string, std::string>> conns = {
      {"192.0.2.1:40000", "192.0.2.2:8729"}, {"192.0.2.1:40001", "192.0.2.2:8729"}};
  auto quiet = evidence([&](Feeder& f) {
    conn(f, 40000, 8729);  // the TLS handshake that timed out
    conn(f, 40001, 8729, own);
  });
  auto j = run(kNoPlain, quiet, conns);
  EXPECT_EQ(j.verdict.status, Status::kPass) << j.verdict.message;
  ASSERT_EQ(j.verdict.findings.size(), 1u) << j.verdict.message;
  EXPECT_TRUE(j.verdict.findings[0].info);
  EXPECT_NE(j.verdict.findings[0].text.find("vantage-probe"), std::string::npos);

  auto answered = evidence([&](Feeder& f) {
    conn(f, 40000, 8729);
    Conversation c{f};
    c.sport = 40001;
    c.dport = 8729;
    c.handshake();
    c.client(own);
    c.server(routeros::Sentence{"!trap", "=message=invalid user name or password (6)"}.encode());
    c.close();
  });
  EXPECT_EQ(run(kNoPlain, answered, conns).verdict.status, Status::kFail);
  auto secret = evidence([&](Feeder& f) {
    conn(f, 40000, 8729);
    conn(f, 40001, 8729,
         routeros::Sentence{"/login", "=name=vantage-probe", "=password=hunter2"}.encode());
  });
  auto s = run(kNoPlain, secret, conns);
  EXPECT_EQ(s.verdict.status, Status::kFail);
  EXPECT_NE(s.verdict.message.find("critical"), std::string::npos) << s.verdict.message;
}

TEST(CaptureProbe, PlaintextApiWithAnotherHostDoesNotCount) {
  auto ev = evidence([](Feeder& f) {
    conn(f, 40000, 8729);
    Conversation other{f};
    other.sip = 0xC0000263;  // 192.0.2.99: not the target
    other.handshake();
    other.client(routeros::Sentence{"/quit"}.encode());
  });
  auto j = run(kNoPlain, ev, {{"192.0.2.1:40000", "192.0.2.2:8729"}});
  EXPECT_EQ(j.verdict.status, Status::kPass) << j.verdict.message;
}

TEST(CaptureProbe, UndecodableApiPortFlowWithAGapIsAnError) {
  auto ev = evidence([](Feeder& f) {
    Conversation c{f};
    c.handshake();
    c.cseq += 100;  // the first client bytes were not captured
    c.client({0x01, 0x02, 0x03, 0x04});
  });
  auto j = run(kNoPlain, ev, {{"192.0.2.1:40000", "192.0.2.2:8728"}});
  EXPECT_EQ(j.verdict.status, Status::kError) << j.verdict.message;
  EXPECT_NE(j.verdict.message.find("missed bytes"), std::string::npos) << j.verdict.message;
}

TEST(CaptureProbe, TlsVersionsSeenIsTheExactSet) {
  const char* both = R"({"expect": {"tls_versions_seen": ["TLSv1.2", "TLSv1.3"]}})";
  const char* only12 = R"({"expect": {"tls_versions_seen": ["TLSv1.2"]}})";
  auto sh = [](bool tls13) {
    std::vector<std::uint8_t> b = {3, 3};
    b.insert(b.end(), 32, 7);
    b.push_back(0);
    b.push_back(tls13 ? 0x13 : 0xC0);
    b.push_back(tls13 ? 0x01 : 0x2F);
    b.push_back(0);
    if (tls13) b.insert(b.end(), {0, 6, 0, 43, 0, 2, 3, 4});
    std::vector<std::uint8_t> rec = {22,
                                     3,
                                     3,
                                     0,
                                     static_cast<std::uint8_t>(b.size() + 4),
                                     2,
                                     0,
                                     0,
                                     static_cast<std::uint8_t>(b.size())};
    rec.insert(rec.end(), b.begin(), b.end());
    return rec;
  };
  auto ev = evidence([&](Feeder& f) {
    for (int i = 0; i < 2; ++i) {
      Conversation c{f};
      c.sport = static_cast<std::uint16_t>(40000 + i);
      c.dport = 8729;
      c.handshake();
      c.client({22, 3, 1, 0, 4, 1, 0, 0, 0});  // an (empty) ClientHello record
      c.server(sh(i == 1));
    }
  });
  std::vector<std::pair<std::string, std::string>> conns = {{"192.0.2.1:40000", "192.0.2.2:8729"},
                                                            {"192.0.2.1:40001", "192.0.2.2:8729"}};
  auto j = run(both, ev, conns);
  EXPECT_EQ(j.verdict.status, Status::kPass) << j.verdict.message;
  auto k = run(only12, ev, conns);
  EXPECT_EQ(k.verdict.status, Status::kFail) << k.verdict.message;
  EXPECT_NE(k.verdict.message.find("TLSv1.2, TLSv1.3"), std::string::npos) << k.verdict.message;
}

TEST(CaptureProbe, BadExpectationsAreLocatedConfigErrors) {
  for (const char* bad :
       {R"({"expect": "no-plaintext"})", R"({"expect": {"tls_versions_seen": ["TLSv9"]}})",
        R"({"expect": {"tls_version_seen": ["TLSv1.2"]}})", R"({"expect": {}})",
        R"({"expect": "no-plaintext-api", "api_ports": [0]})"}) {
    SCOPED_TRACE(bad);
    auto p = testing::parse_check("capture", bad);
    EXPECT_FALSE(p.ok());
    for (const auto& d : p.diags) EXPECT_GT(d.line, 0) << d.to_string();
  }
}

}  // namespace
}  // namespace vantage::probes
