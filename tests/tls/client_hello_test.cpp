#include "tls/client_hello.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tls/cipher_suites.hpp"

namespace vantage::tls {
namespace {

// Independent re-parse of what the builder wrote.
struct Parsed {
  std::uint16_t record_version = 0, client_version = 0;
  std::size_t session_id_len = 0;
  std::vector<std::uint16_t> suites;
  std::map<std::uint16_t, std::vector<std::uint8_t>> exts;
  bool has_ext_block = false;
};

std::uint16_t be16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint16_t>(b.at(at) << 8 | b.at(at + 1));
}

Parsed reparse(const std::vector<std::uint8_t>& b) {
  Parsed p;
  EXPECT_EQ(b.at(0), 22);
  p.record_version = be16(b, 1);
  EXPECT_EQ(be16(b, 3), b.size() - 5);
  EXPECT_EQ(b.at(5), 1);
  std::size_t hs_len = static_cast<std::size_t>(b.at(6) << 16 | b.at(7) << 8 | b.at(8));
  EXPECT_EQ(hs_len, b.size() - 9);
  std::size_t at = 9;
  p.client_version = be16(b, at);
  at += 2 + 32;
  p.session_id_len = b.at(at);
  at += 1 + p.session_id_len;
  std::size_t n = be16(b, at);
  at += 2;
  for (std::size_t i = 0; i < n; i += 2) p.suites.push_back(be16(b, at + i));
  at += n;
  EXPECT_EQ(b.at(at), 1);
  EXPECT_EQ(b.at(at + 1), 0);
  at += 2;
  if (at == b.size()) return p;
  p.has_ext_block = true;
  std::size_t end = at + 2 + be16(b, at);
  EXPECT_EQ(end, b.size());
  at += 2;
  while (at < end) {
    std::uint16_t type = be16(b, at), len = be16(b, at + 2);
    p.exts[type] = std::vector<std::uint8_t>(b.begin() + static_cast<long>(at + 4),
                                             b.begin() + static_cast<long>(at + 4 + len));
    at += 4 + len;
  }
  EXPECT_EQ(at, end);
  return p;
}

TEST(ClientHello, Tls12FullList) {
  HelloOptions o;
  o.version = Version::kTls12;
  o.suites = legacy_suite_codes();
  o.server_name = "core-rtr-1.example.net";
  randomize(o);
  auto p = reparse(build_client_hello(o));
  EXPECT_EQ(p.record_version, 0x0301);
  EXPECT_EQ(p.client_version, 0x0303);
  EXPECT_EQ(p.session_id_len, 0u);
  EXPECT_EQ(p.suites.size(), legacy_suite_codes().size() + 1);  // + renegotiation SCSV
  EXPECT_EQ(p.suites.back(), 0x00ff);
  ASSERT_TRUE(p.exts.count(0x0000));
  const auto& sni = p.exts[0x0000];
  EXPECT_EQ(std::string(sni.begin() + 5, sni.end()), "core-rtr-1.example.net");
  EXPECT_TRUE(p.exts.count(0x000a));
  EXPECT_TRUE(p.exts.count(0x000b));
  EXPECT_TRUE(p.exts.count(0x000d));
  EXPECT_FALSE(p.exts.count(0x002b));
}

TEST(ClientHello, Tls13HasVersionsAndKeyShare) {
  HelloOptions o;
  o.version = Version::kTls13;
  o.suites = tls13_suite_codes();
  randomize(o);
  auto p = reparse(build_client_hello(o));
  EXPECT_EQ(p.client_version, 0x0303);  // legacy_version
  EXPECT_EQ(p.session_id_len, 32u);
  EXPECT_EQ(p.suites, tls13_suite_codes());  // no SCSV in 1.3
  ASSERT_TRUE(p.exts.count(0x002b));
  EXPECT_EQ(p.exts[0x002b], (std::vector<std::uint8_t>{2, 0x03, 0x04}));
  ASSERT_TRUE(p.exts.count(0x0033));
  const auto& ks = p.exts[0x0033];
  ASSERT_EQ(ks.size(), 2u + 4u + 32u);
  EXPECT_EQ(ks[2], 0x00);
  EXPECT_EQ(ks[3], 0x1d);  // x25519
  EXPECT_EQ(std::vector<std::uint8_t>(ks.begin() + 6, ks.end()),
            std::vector<std::uint8_t>(o.key_share.begin(), o.key_share.end()));
  EXPECT_TRUE(p.exts.count(0x000a));
  EXPECT_TRUE(p.exts.count(0x000d));
}

TEST(ClientHello, Ssl3HasNoExtensions) {
  HelloOptions o;
  o.version = Version::kSsl3;
  o.suites = {0x000A, 0x002F};
  o.server_name = "router";
  auto p = reparse(build_client_hello(o));
  EXPECT_EQ(p.record_version, 0x0300);
  EXPECT_EQ(p.client_version, 0x0300);
  EXPECT_FALSE(p.has_ext_block);
}

TEST(ClientHello, NoSniForIpLiteralsAndTls10HasNoSigAlgs) {
  HelloOptions o;
  o.version = Version::kTls10;
  o.suites = {0x002F};
  o.server_name = "192.0.2.1";
  auto p = reparse(build_client_hello(o));
  EXPECT_EQ(p.client_version, 0x0301);
  EXPECT_FALSE(p.exts.count(0x0000));
  EXPECT_FALSE(p.exts.count(0x000d));
}

TEST(ClientHello, GoldenBytesForFixedInput) {
  HelloOptions o;
  o.version = Version::kTls12;
  o.suites = {0xC02F};
  o.renegotiation_scsv = false;
  auto b = build_client_hello(o);
  // record header, handshake header, version, then 32 zero random bytes.
  ASSERT_GE(b.size(), 48u);
  EXPECT_EQ(
      std::vector<std::uint8_t>(b.begin(), b.begin() + 11),
      (std::vector<std::uint8_t>{0x16, 0x03, 0x01, static_cast<std::uint8_t>((b.size() - 5) >> 8),
                                 static_cast<std::uint8_t>(b.size() - 5), 0x01, 0x00,
                                 static_cast<std::uint8_t>((b.size() - 9) >> 8),
                                 static_cast<std::uint8_t>(b.size() - 9), 0x03, 0x03}));
  // session id length 0, suites length 2, C0 2F, one compression method 00.
  EXPECT_EQ(std::vector<std::uint8_t>(b.begin() + 43, b.begin() + 50),
            (std::vector<std::uint8_t>{0x00, 0x00, 0x02, 0xC0, 0x2F, 0x01, 0x00}));
}

TEST(ClientHello, GroupNames) {
  EXPECT_EQ(group_name(0x001d), "x25519");
  EXPECT_EQ(group_name(0x0100), "ffdhe2048");
  EXPECT_EQ(group_name(0x7777), "0x7777");
  EXPECT_EQ(offered_groups().front(), 0x001d);
}

}  // namespace
}  // namespace vantage::tls
