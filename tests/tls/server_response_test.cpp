// The hostile-bytes suite for the ServerHello parser, plus normal answers.
#include "tls/server_response.hpp"

#include <gtest/gtest.h>

#include <random>

#include "tls_bytes.hpp"

namespace vantage::tls {
namespace {

using namespace vantage::tls::testing;
using K = ParseResult::Kind;

Bytes tls12_flight(std::uint16_t suite, const Bytes& ske) {
  return record(22, 0x0303,
                cat({handshake(2, server_hello_body(0x0303, suite, ext(0xff01, {0}))),
                     handshake(11, Bytes{0, 0, 0}), ske.empty() ? Bytes{} : handshake(12, ske),
                     handshake(14, {})}));
}

TEST(ServerResponse, EmptyNeedsMore) {
  EXPECT_EQ(parse_server_response({}).kind, K::kNeedMore);
}

TEST(ServerResponse, Tls12HelloWithDheGroupSize) {
  auto b = tls12_flight(0x009F, dhe_ske(256));  // DHE-RSA-AES256-GCM-SHA384, 2048-bit p
  auto r = parse_server_response(b);
  ASSERT_EQ(r.kind, K::kServerHello) << r.reason;
  EXPECT_EQ(r.hello.version, 0x0303);
  EXPECT_EQ(r.hello.suite, 0x009F);
  EXPECT_TRUE(r.hello.flight_complete);
  ASSERT_TRUE(r.hello.dh_bits);
  EXPECT_EQ(*r.hello.dh_bits, 2048);
  auto small = parse_server_response(tls12_flight(0x0033, dhe_ske(128, 0x3F)));
  ASSERT_TRUE(small.hello.dh_bits);
  EXPECT_EQ(*small.hello.dh_bits, 1022);  // top byte 0x3F: two leading zero bits
}

TEST(ServerResponse, EcdheGroup) {
  Bytes ske{3, 0x00, 0x1d, 32};
  ske.resize(ske.size() + 32, 0x55);
  auto r = parse_server_response(tls12_flight(0xC02F, ske));
  ASSERT_EQ(r.kind, K::kServerHello);
  ASSERT_TRUE(r.hello.ecdh_group);
  EXPECT_EQ(*r.hello.ecdh_group, 0x001d);
}

TEST(ServerResponse, Ssl3HelloWithoutExtensions) {
  auto b =
      record(22, 0x0300, cat({handshake(2, server_hello_body(0x0300, 0x000A)), handshake(14, {})}));
  auto r = parse_server_response(b);
  ASSERT_EQ(r.kind, K::kServerHello);
  EXPECT_EQ(r.hello.version, 0x0300);
  EXPECT_EQ(r.hello.suite, 0x000A);
}

TEST(ServerResponse, Tls13ViaSupportedVersions) {
  auto exts =
      cat({ext(43, {0x03, 0x04}), ext(51, cat({Bytes{0x00, 0x1d, 0x00, 0x20}, Bytes(32, 7)}))});
  auto b = cat({record(22, 0x0303, handshake(2, server_hello_body(0x0303, 0x1302, exts))),
                record(20, 0x0303, {1}), record(23, 0x0303, Bytes(40, 9))});
  auto r = parse_server_response(b);
  ASSERT_EQ(r.kind, K::kServerHello);
  EXPECT_EQ(r.hello.legacy_version, 0x0303);
  EXPECT_EQ(r.hello.version, 0x0304);
  EXPECT_EQ(r.hello.suite, 0x1302);
  EXPECT_FALSE(r.hello.hello_retry_request);
  EXPECT_TRUE(r.hello.flight_complete);
  EXPECT_EQ(r.hello.key_share_group, 0x001d);
}

TEST(ServerResponse, HelloRetryRequest) {
  auto exts = cat({ext(43, {0x03, 0x04}), ext(51, {0x00, 0x17})});
  auto r = parse_server_response(
      record(22, 0x0303, handshake(2, server_hello_body(0x0303, 0x1301, exts, true))));
  ASSERT_EQ(r.kind, K::kServerHello);
  EXPECT_TRUE(r.hello.hello_retry_request);
  EXPECT_EQ(r.hello.version, 0x0304);
  EXPECT_EQ(r.hello.key_share_group, 0x0017);
}

TEST(ServerResponse, Alert) {
  auto r = parse_server_response(record(21, 0x0303, {2, 40}));
  ASSERT_EQ(r.kind, K::kAlert);
  EXPECT_EQ(r.alert.level, 2);
  EXPECT_EQ(alert_name(r.alert.description), "handshake_failure");
  EXPECT_EQ(alert_name(70), "protocol_version");
  EXPECT_EQ(alert_name(250), "alert_250");
}

// Suites the local OpenSSL can no longer serve (RC4, 3DES, export): the
// parser and the classification are covered here on synthesized server bytes.
TEST(ServerResponse, LegacySuitesOnServerBytes) {
  for (std::uint16_t suite : {0x0004, 0x0005, 0x000A, 0x0016, 0x0003, 0x0014, 0xC011, 0xC012}) {
    auto r = parse_server_response(record(
        22, 0x0301, cat({handshake(2, server_hello_body(0x0301, suite)), handshake(14, {})})));
    ASSERT_EQ(r.kind, K::kServerHello) << suite;
    EXPECT_EQ(r.hello.suite, suite);
  }
}

TEST(ServerResponse, CertificateChainIsCollected) {
  Bytes certs;
  put24(certs, 3 + 3 + 3 + 2);
  put24(certs, 3);
  certs.insert(certs.end(), {0x30, 0x01, 0x00});
  put24(certs, 2);
  certs.insert(certs.end(), {0x30, 0x00});
  auto b = record(22, 0x0303,
                  cat({handshake(2, server_hello_body(0x0303, 0x002F)), handshake(11, certs),
                       handshake(14, {})}));
  auto r = parse_server_response(b);
  ASSERT_EQ(r.kind, K::kServerHello);
  ASSERT_EQ(r.hello.certificates.size(), 2u);
  EXPECT_EQ(r.hello.certificates[0].size(), 3u);
}

// --- hostile input ---

TEST(Hostile, EveryTruncationIsNeedMoreOrPartialHello) {
  auto full = tls12_flight(0x009F, dhe_ske(256));
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = parse_server_response(std::span(full.data(), n));
    ASSERT_TRUE(r.kind == K::kNeedMore || (r.kind == K::kServerHello && !r.hello.flight_complete))
        << "prefix " << n << " gave " << to_string(r.kind) << " " << r.reason;
  }
}

TEST(Hostile, AbsurdRecordLength) {
  Bytes b{22, 3, 3, 0xFF, 0xFF};
  auto r = parse_server_response(b);
  ASSERT_EQ(r.kind, K::kGarbage);
  EXPECT_NE(r.reason.find("absurd record length"), std::string::npos);
}

TEST(Hostile, AbsurdHandshakeLength) {
  Bytes body{2, 0xFF, 0xFF, 0xFF};
  auto r = parse_server_response(record(22, 0x0303, body));
  ASSERT_EQ(r.kind, K::kGarbage);
  EXPECT_NE(r.reason.find("absurd handshake length"), std::string::npos);
}

TEST(Hostile, HandshakeSplitAcrossRecords) {
  auto hs = cat({handshake(2, server_hello_body(0x0303, 0xC030)), handshake(14, {})});
  for (std::size_t cut = 1; cut < hs.size(); ++cut) {
    Bytes a(hs.begin(), hs.begin() + static_cast<long>(cut)),
        b(hs.begin() + static_cast<long>(cut), hs.end());
    auto r = parse_server_response(cat({record(22, 0x0303, a), record(22, 0x0303, b)}));
    ASSERT_EQ(r.kind, K::kServerHello) << "cut " << cut;
    EXPECT_EQ(r.hello.suite, 0xC030);
    EXPECT_TRUE(r.hello.flight_complete);
  }
  // One byte per record.
  Bytes many;
  for (auto byte : hs) many = cat({many, record(22, 0x0303, {byte})});
  auto r = parse_server_response(many);
  ASSERT_EQ(r.kind, K::kServerHello);
  EXPECT_TRUE(r.hello.flight_complete);
}

TEST(Hostile, GarbageInsteadOfTls) {
  for (std::string s :
       {"HTTP/1.1 400 Bad Request\r\n", "SSH-2.0-OpenSSH_9.2\r\n", "\x80\x2e\x04"}) {
    auto r =
        parse_server_response(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
    EXPECT_EQ(r.kind, K::kGarbage) << s;
  }
  // RouterOS API reply bytes (!fatal not logged in) are not TLS either.
  Bytes api{0x06, 0x21, 0x66, 0x61, 0x74, 0x61, 0x6c};
  EXPECT_EQ(parse_server_response(api).kind, K::kGarbage);
  // A handshake that is not a ServerHello, and application data first.
  EXPECT_EQ(parse_server_response(record(22, 0x0303, handshake(11, {0, 0, 0}))).kind, K::kGarbage);
  EXPECT_EQ(parse_server_response(record(23, 0x0303, {1, 2, 3})).kind, K::kGarbage);
  EXPECT_EQ(parse_server_response(record(21, 0x0303, {2})).kind, K::kGarbage);
  // Bad version major and a session id longer than 32.
  EXPECT_EQ(parse_server_response(Bytes{22, 9, 1, 0, 1, 0}).kind, K::kGarbage);
  auto sh = server_hello_body(0x0303, 0x002F);
  sh[34] = 200;
  EXPECT_EQ(parse_server_response(record(22, 0x0303, handshake(2, sh))).kind, K::kGarbage);
  // Extensions that overrun their block.
  auto bad = server_hello_body(0x0303, 0x002F, ext(43, {3, 4}));
  bad[bad.size() - 3] = 0x40;
  EXPECT_EQ(parse_server_response(record(22, 0x0303, handshake(2, bad))).kind, K::kGarbage);
}

TEST(Hostile, RandomBytesNeverCrash) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 20000; ++i) {
    Bytes b(rng() % 200);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    if (!b.empty() && rng() % 2) b[0] = 22;
    if (b.size() > 2 && rng() % 2) b[1] = 3;
    (void)parse_server_response(b);
  }
  // Mutations of a valid flight.
  auto full = tls12_flight(0x009F, dhe_ske(256));
  for (int i = 0; i < 20000; ++i) {
    Bytes m = full;
    for (int k = 0; k < 3; ++k) m[rng() % m.size()] = static_cast<std::uint8_t>(rng());
    (void)parse_server_response(m);
  }
  SUCCEED();
}

}  // namespace
}  // namespace vantage::tls
