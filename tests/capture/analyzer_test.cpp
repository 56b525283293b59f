// Flow analysis over crafted packets: classification, credential exposure
// (and that the secret never appears), TLS witness, mid-stream flows, gaps,
// malformed frames and every supported link type.
#include "capture/analyzer.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "capture/flow_report.hpp"
#include "frames.hpp"
#include "routeros/codec.hpp"

namespace vantage::capture {
namespace {

using namespace vantage::capture::testing;

std::vector<std::uint8_t> sentence(std::initializer_list<std::string> words) {
  routeros::Sentence s(words);
  return s.encode();
}

// A TLS record holding one handshake message.
std::vector<std::uint8_t> hs_record(std::uint8_t type, const std::vector<std::uint8_t>& body,
                                    std::uint16_t rec_version = 0x0301) {
  std::vector<std::uint8_t> msg = {type, static_cast<std::uint8_t>(body.size() >> 16),
                                   static_cast<std::uint8_t>(body.size() >> 8),
                                   static_cast<std::uint8_t>(body.size())};
  msg.insert(msg.end(), body.begin(), body.end());
  std::vector<std::uint8_t> rec = {
      22, static_cast<std::uint8_t>(rec_version >> 8), static_cast<std::uint8_t>(rec_version),
      static_cast<std::uint8_t>(msg.size() >> 8), static_cast<std::uint8_t>(msg.size())};
  rec.insert(rec.end(), msg.begin(), msg.end());
  return rec;
}

void u16(std::vector<std::uint8_t>& v, std::uint16_t x) {
  v.push_back(static_cast<std::uint8_t>(x >> 8));
  v.push_back(static_cast<std::uint8_t>(x));
}

std::vector<std::uint8_t> client_hello(std::vector<std::uint16_t> versions,
                                       std::vector<std::uint16_t> suites,
                                       const std::string& host = "router.example") {
  std::vector<std::uint8_t> b;
  u16(b, 0x0303);
  b.insert(b.end(), 32, 0x11);
  b.push_back(0);
  u16(b, static_cast<std::uint16_t>(suites.size() * 2));
  for (auto s : suites) u16(b, s);
  b.push_back(1);
  b.push_back(0);
  std::vector<std::uint8_t> ext;
  // server_name
  u16(ext, 0);
  u16(ext, static_cast<std::uint16_t>(host.size() + 5));
  u16(ext, static_cast<std::uint16_t>(host.size() + 3));
  ext.push_back(0);
  u16(ext, static_cast<std::uint16_t>(host.size()));
  ext.insert(ext.end(), host.begin(), host.end());
  if (!versions.empty()) {
    u16(ext, 43);
    u16(ext, static_cast<std::uint16_t>(versions.size() * 2 + 1));
    ext.push_back(static_cast<std::uint8_t>(versions.size() * 2));
    for (auto v : versions) u16(ext, v);
  }
  u16(b, static_cast<std::uint16_t>(ext.size()));
  b.insert(b.end(), ext.begin(), ext.end());
  return hs_record(1, b);
}

const std::uint8_t kHrr[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                               0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                               0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

std::vector<std::uint8_t> server_hello(std::uint16_t legacy, std::optional<std::uint16_t> selected,
                                       std::uint16_t suite, bool hrr = false) {
  std::vector<std::uint8_t> b;
  u16(b, legacy);
  if (hrr)
    b.insert(b.end(), kHrr, kHrr + 32);
  else
    b.insert(b.end(), 32, 0x22);
  b.push_back(0);
  u16(b, suite);
  b.push_back(0);
  if (selected) {
    u16(b, 6);
    u16(b, 43);
    u16(b, 2);
    u16(b, *selected);
  }
  return hs_record(2, b, 0x0303);
}

const std::string kSecret = "s3cr3t-Passw0rd";

TEST(Analyzer, PlaintextLoginIsACriticalFindingWithoutTheSecret) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();                                                          // packets 1-3
  c.client(sentence({"/login", "=name=admin", "=password=" + kSecret}));  // 4
  c.server(sentence({"!done"}));                                          // 5
  c.close();
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  const FlowRecord& fl = r.flows[0];
  EXPECT_EQ(fl.cls, FlowClass::kRouterosApiPlaintext);
  EXPECT_EQ(fl.client.str(), "192.0.2.1:40000");
  EXPECT_EQ(fl.server.str(), "192.0.2.2:8728");
  EXPECT_TRUE(fl.syn_seen);
  EXPECT_EQ(fl.syn_packet.number, 1u);
  EXPECT_EQ(fl.api_sentences, 2u);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].kind, "credential-exposure");
  EXPECT_EQ(r.findings[0].severity, "critical");
  EXPECT_EQ(r.findings[0].user, "admin");
  ASSERT_EQ(r.findings[0].packets.size(), 1u);
  EXPECT_EQ(r.findings[0].packets[0].number, 4u);
  EXPECT_EQ(r.findings[1].kind, "plaintext-api");
  EXPECT_TRUE(r.exposure());
  const std::string dump = to_json(r).dump();
  EXPECT_EQ(dump.find(kSecret), std::string::npos);
  EXPECT_NE(dump.find("admin"), std::string::npos);
}

// vantage's own plaintext detection logs in with an empty password: that is
// plaintext API, but no credential crossed, and the finding says so.
TEST(Analyzer, EmptySecretLoginIsPlaintextApiNotExposure) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/login", "=name=vantage-probe", "=password="}));
  c.server(sentence({"!trap", "=message=invalid user name or password (6)"}));
  c.close();
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "plaintext-api");
  EXPECT_NE(r.findings[0].message.find("vantage's own detection probe"), std::string::npos)
      << r.findings[0].message;
  EXPECT_TRUE(r.exposure());  // plaintext API is still a finding
}

TEST(Analyzer, LegacyChallengeResponseLoginIsExposureToo) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/login"}));
  c.server(sentence({"!done", "=ret=856780b7411eefd3abadee2058c149a3"}));
  c.client(sentence({"/login", "=name=ops", "=response=005062f7a5ef124d34675bf3e81f56c556"}));
  AnalysisResult r = a.finish();
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].kind, "credential-exposure");
  EXPECT_EQ(r.findings[0].user, "ops");
  EXPECT_EQ(r.findings[0].packets[0].number, 6u);
  EXPECT_EQ(to_json(r).dump().find("005062f7a5ef"), std::string::npos);
}

TEST(Analyzer, SentenceSplitAcrossSegmentsPointsAtBothPackets) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  auto s = sentence({"/login", "=name=bob", "=password=" + kSecret});
  c.client(std::vector<std::uint8_t>(s.begin(), s.begin() + 10));  // 4
  c.client(std::vector<std::uint8_t>(s.begin() + 10, s.end()));    // 5
  AnalysisResult r = a.finish();
  ASSERT_FALSE(r.findings.empty());
  ASSERT_EQ(r.findings[0].packets.size(), 2u);
  EXPECT_EQ(r.findings[0].packets[0].number, 4u);
  EXPECT_EQ(r.findings[0].packets[1].number, 5u);
}

TEST(Analyzer, TlsFlowWitnessesVersionSuiteAndSni) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.dport = 8729;
  c.handshake();
  c.client(client_hello({0x0a0a, 0x0304, 0x0303}, {0x1301, 0x1302, 0xc02f}));  // 4
  c.server(server_hello(0x0303, 0x0304, 0x1302));                              // 5
  c.server({23, 3, 3, 0, 4, 1, 2, 3, 4});
  c.close();
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  const FlowRecord& fl = r.flows[0];
  EXPECT_EQ(fl.cls, FlowClass::kTls);
  ASSERT_TRUE(fl.tls);
  EXPECT_TRUE(fl.tls->client_hello);
  EXPECT_EQ(fl.tls->client_hello_packet & 0xffff, 4u);
  EXPECT_EQ(fl.tls->client_supported_versions, (std::vector<std::uint16_t>{0x0304, 0x0303}));
  EXPECT_EQ(fl.tls->server_name, "router.example");
  EXPECT_EQ(fl.tls->negotiated_version(), 0x0304);
  EXPECT_EQ(tls_version_name(fl.tls->negotiated_version()), "TLSv1.3");
  EXPECT_EQ(tls_suite_name(fl.tls->suite), "TLS_AES_256_GCM_SHA384");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(r.exposure());
}

TEST(Analyzer, HelloRetryRequestThenServerHello) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.dport = 8729;
  c.handshake();
  c.client(client_hello({0x0304}, {0x1301}));
  auto hrr = server_hello(0x0303, 0x0304, 0x1301, true);
  auto sh = server_hello(0x0303, 0x0304, 0x1301);
  c.server(hrr);
  c.client(client_hello({0x0304}, {0x1301}));
  // The real ServerHello split across two segments.
  c.server(std::vector<std::uint8_t>(sh.begin(), sh.begin() + 7));
  c.server(std::vector<std::uint8_t>(sh.begin() + 7, sh.end()));
  AnalysisResult r = a.finish();
  ASSERT_TRUE(r.flows[0].tls);
  EXPECT_TRUE(r.flows[0].tls->hello_retry_request);
  EXPECT_TRUE(r.flows[0].tls->server_hello);
  EXPECT_EQ(r.flows[0].tls->server_hello_packet & 0xffff, 8u);
  EXPECT_EQ(tls_version_name(r.flows[0].tls->negotiated_version()), "TLSv1.3");
}

TEST(Analyzer, Tls12HandshakeAlertIsRecorded) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.dport = 8729;
  c.handshake();
  c.client(client_hello({}, {0x0034}));  // ADH offer, TLS 1.2 without supported_versions
  c.server({21, 3, 3, 0, 2, 2, 40});     // fatal handshake_failure
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  ASSERT_TRUE(r.flows[0].tls);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kTls);
  EXPECT_FALSE(r.flows[0].tls->server_hello);
  ASSERT_EQ(r.flows[0].tls->alerts.size(), 1u);
  EXPECT_EQ(r.flows[0].tls->alerts[0].describe(), "fatal handshake_failure");
  EXPECT_EQ(r.flows[0].tls->offered_versions().front(), 0x0303);
}

TEST(Analyzer, PlaintextOnTlsPortIsAFinding) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.dport = 8729;
  c.handshake();
  c.client(sentence({"/system/identity/print"}));
  c.server(sentence({"!fatal", "not logged in"}));
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kRouterosApiPlaintext);
  bool non_tls = false;
  for (const auto& fd : r.findings) non_tls |= fd.kind == "non-tls-on-tls-port";
  EXPECT_TRUE(non_tls);
}

TEST(Analyzer, MidStreamApiFlowIsRecognised) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  // No handshake: the capture started while the session was running.
  c.server(sentence({"!re", "=name=core-rtr-1"}));
  c.server(sentence({"!done"}));
  c.client(sentence({"/interface/print"}));
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kRouterosApiPlaintext);
  EXPECT_FALSE(r.flows[0].syn_seen);
  EXPECT_TRUE(r.flows[0].s2c.midstream);
  EXPECT_EQ(r.flows[0].server.port, 8728);  // guessed from the API port
}

TEST(Analyzer, LoginAfterAGapIsStillFound) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/system/resource/print"}));
  auto lost = sentence({"/ip/address/print"});
  c.cseq += static_cast<std::uint32_t>(lost.size());  // a segment the capture missed
  c.client(sentence({"/login", "=name=late", "=password=" + kSecret}));
  c.close();
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].c2s.gaps, 1u);
  bool found = false;
  for (const auto& fd : r.findings) found |= fd.kind == "credential-exposure" && fd.user == "late";
  EXPECT_TRUE(found);
  bool noted = false;
  for (const auto& n : r.flows[0].notes) noted |= n.find("gap") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(Analyzer, HttpIsOtherPlaintextAndEmptyFlowIsNoPayload) {
  Analyzer a;
  Feeder f(a);
  Conversation http{f};
  http.dport = 80;
  http.handshake();
  http.client(bytes_of("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  http.server(bytes_of("HTTP/1.1 200 OK\r\n\r\n"));
  Conversation empty{f};
  empty.sport = 40001;
  empty.handshake();
  empty.close();
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 2u);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kOtherPlaintext);
  EXPECT_EQ(r.flows[1].cls, FlowClass::kNoPayload);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Analyzer, TlsBytesAreNotApiAndApiBytesAreNotTls) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  // Binary that happens to start like a short word, but not '/' or '!'.
  c.client({5, 'h', 'e', 'l', 'l', 'o', 0});
  AnalysisResult r = a.finish();
  EXPECT_EQ(r.flows[0].cls, FlowClass::kOtherPlaintext);
}

TEST(Analyzer, MalformedFramesAreProblemsAndAnalysisContinues) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();                    // 1-3
  f.frame({0x45, 0, 0, 40, 0, 0});  // 4: truncated IPv4 header
  f.frame({0x45, 0, 0, 10, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});  // 5: total < ihl
  c.client(sentence({"/login", "=name=x", "=password=" + kSecret}));           // 6
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].packet.number, 4u);
  EXPECT_EQ(r.problems[1].packet.number, 5u);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].packets[0].number, 6u);
}

TEST(Analyzer, PortReuseStartsANewFlow) {
  Analyzer a;
  Feeder f(a);
  Conversation c1{f};
  c1.handshake();
  c1.close();
  Conversation c2{f};
  c2.cseq = 777777;
  c2.handshake();
  c2.client(sentence({"/quit"}));
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 2u);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kNoPayload);
  EXPECT_EQ(r.flows[1].cls, FlowClass::kRouterosApiPlaintext);
}

class LinkTypes : public ::testing::TestWithParam<int> {};

TEST_P(LinkTypes, DecodeTheSameFlow) {
  Analyzer a;
  Feeder f(a, GetParam());
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/login", "=name=admin", "=password=" + kSecret}));
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].cls, FlowClass::kRouterosApiPlaintext);
  EXPECT_EQ(r.problems_total, 0u);
  EXPECT_EQ(r.tcp_packets, 4u);
}

INSTANTIATE_TEST_SUITE_P(Capture, LinkTypes,
                         ::testing::Values(kDltRaw, kDltEn10mb, kDltSll, kDltSll2, kDltNull,
                                           kDltLoop));

TEST(Analyzer, UnsupportedLinkTypeIsReportedOnce) {
  Analyzer a;
  Feeder f(a, 105 /* IEEE 802.11 */);
  f.frame({1, 2, 3});
  f.frame({1, 2, 3});
  AnalysisResult r = a.finish();
  EXPECT_EQ(r.problems_total, 1u);
  EXPECT_EQ(r.packets, 2u);
}

TEST(Analyzer, SnappedPayloadIsAGapNotAGuess) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  Tcp t = c.c(sentence({"/login", "=name=admin", "=password=" + kSecret}));
  t.snap = 8;
  f.tcp(t);
  AnalysisResult r = a.finish();
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].c2s.gaps, 1u);
  EXPECT_EQ(r.flows[0].c2s.delivered, 8u);
  // The login was not fully seen: no credential finding is invented.
  for (const auto& fd : r.findings) EXPECT_NE(fd.kind, "credential-exposure");
}

// HTTP Basic over plain HTTP (the REST API on www) hands the password to
// anyone on the path, exactly like a plaintext /login.
const std::string kBasic = "YWRtaW46czNjcjN0LVBhc3N3MHJk";  // base64("admin:s3cr3t-Passw0rd")

AnalysisResult http_flow(const std::vector<std::string>& requests, std::uint16_t port = 80) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.dport = port;
  c.handshake();
  for (const auto& req : requests) {
    c.client(bytes_of(req));
    c.server(bytes_of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
  }
  c.close();
  return a.finish();
}

void expect_no_secret(const AnalysisResult& r, const std::vector<std::string>& secrets) {
  std::ostringstream console;
  write_console(console, r, true);
  const std::string all = to_json(r).dump() + console.str();
  for (const auto& s : secrets) EXPECT_EQ(all.find(s), std::string::npos) << s;
}

TEST(AnalyzerHttp, BasicAuthOverPlainHttpIsCriticalCredentialExposure) {
  AnalysisResult r =
      http_flow({"GET /rest/system/identity HTTP/1.1\r\nHost: 192.0.2.2\r\n"
                 "Authorization: Basic " +
                 kBasic + "\r\n\r\n"});
  ASSERT_EQ(r.findings.size(), 1u) << to_json(r).dump(1);
  const Finding& fd = r.findings[0];
  EXPECT_EQ(fd.kind, "credential-exposure");
  EXPECT_EQ(fd.severity, "critical");
  EXPECT_EQ(fd.user, "admin");
  EXPECT_EQ(fd.server.str(), "192.0.2.2:80");
  ASSERT_FALSE(fd.packets.empty());
  EXPECT_EQ(fd.packets[0].number, 4u);
  EXPECT_NE(fd.message.find("Basic"), std::string::npos) << fd.message;
  EXPECT_TRUE(r.exposure());
  expect_no_secret(r, {kSecret, kBasic, "czNjcjN0"});
  EXPECT_EQ(to_json(r)["findings"][0]["user"], "admin");
}

TEST(AnalyzerHttp, DigestAuthIsCredentialExposureWithTheUser) {
  const std::string response = "6629fae49393a05397450978507c4ef1";
  AnalysisResult r =
      http_flow({"GET /rest/ip/address HTTP/1.1\r\nHost: r\r\n",
                 "authorization: Digest username=\"ops\", realm=\"rtr\", nonce=\"dcd98b71\", "
                 "uri=\"/rest/ip/address\", response=\"" +
                     response + "\"\r\nAccept: */*\r\n\r\n"},
                8080);
  ASSERT_EQ(r.findings.size(), 1u) << to_json(r).dump(1);
  EXPECT_EQ(r.findings[0].kind, "credential-exposure");
  EXPECT_EQ(r.findings[0].severity, "critical");
  EXPECT_EQ(r.findings[0].user, "ops");
  EXPECT_NE(r.findings[0].message.find("Digest"), std::string::npos);
  expect_no_secret(r, {response, "dcd98b71"});
}

TEST(AnalyzerHttp, EveryRequestOfAKeepAliveConnectionIsRead) {
  AnalysisResult r = http_flow(
      {"GET / HTTP/1.1\r\nHost: r\r\n\r\n", "POST /rest/x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
       "GET /rest/y HTTP/1.1\r\nProxy-Authorization: Basic " + kBasic + "\r\n\r\n"});
  ASSERT_EQ(r.findings.size(), 1u) << to_json(r).dump(1);
  EXPECT_EQ(r.findings[0].user, "admin");
  EXPECT_EQ(r.findings[0].packets[0].number, 8u);
  expect_no_secret(r, {kSecret, kBasic});
}

TEST(AnalyzerHttp, PlainHttpWithoutCredentialsIsNoFinding) {
  AnalysisResult r = http_flow({"GET /rest HTTP/1.1\r\nHost: r\r\n\r\n"});
  EXPECT_TRUE(r.findings.empty()) << to_json(r).dump(1);
  EXPECT_FALSE(r.exposure());
}

// RouterOS text is Windows-1252: "J\xF6rg" is a user named Jörg. A report must
// be written (valid UTF-8, the name readable), never lost to a dump() throw.
TEST(AnalyzerText, Cp1252UserAndSniStillGiveAValidReport) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/login", "=name=J\xF6rg", "=password=" + kSecret}));
  c.server(sentence({"!done"}));
  Conversation t{f};
  t.sport = 40001;
  t.dport = 8729;
  t.handshake();
  t.client(client_hello({0x0304}, {0x1301}, "r\xE9seau.example"));
  AnalysisResult r = a.finish();
  std::string dump;
  ASSERT_NO_THROW(dump = to_json(r).dump());
  const json back = json::parse(dump);
  bool named = false;
  for (const auto& fd : back["findings"])
    if (fd["kind"] == "credential-exposure") named = fd["user"] == "J\xC3\xB6rg";
  EXPECT_TRUE(named) << dump;
  EXPECT_NE(dump.find("r\xC3\xA9seau.example"), std::string::npos) << dump;
}

// Names and words from the network never reach the operator's terminal raw.
TEST(AnalyzerText, ConsoleShowsNoControlCharactersFromTheNetwork) {
  Analyzer a;
  Feeder f(a);
  Conversation c{f};
  c.handshake();
  c.client(sentence({"/login", "=name=evil\x1b]0;owned\x07\x1b[2J", "=password=" + kSecret}));
  Conversation d{f};
  d.sport = 40001;
  d.handshake();
  d.client(
      sentence({"/x\xC2\x9B"
                "31m",
                "=a=b"}));
  AnalysisResult r = a.finish();
  std::ostringstream os;
  write_console(os, r, true);
  const std::string out = os.str();
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << out;
  EXPECT_NE(out.find("evil\\x1b]0;owned"), std::string::npos) << out;
}

}  // namespace
}  // namespace vantage::capture
