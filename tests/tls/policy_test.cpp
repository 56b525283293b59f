#include "tls/policy.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tls/cipher_suites.hpp"

namespace vantage::tls {
namespace {

ScanResult scan_with(std::vector<std::pair<Version, std::vector<std::uint16_t>>> accepted) {
  ScanResult s;
  for (auto& [v, suites] : accepted) {
    VersionResult vr;
    vr.version = v;
    vr.accepted = true;
    for (auto c : suites) vr.suites.push_back({c, std::nullopt, std::nullopt});
    s.versions.push_back(vr);
  }
  return s;
}

TEST(Policy, BuiltinsLoadAndMatchMozilla) {
  auto names = builtin_policy_names();
  for (const char* n :
       {"mozilla-intermediate", "mozilla-modern", "routeros-only-1.2", "mozilla-intermediate-5.7"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  Policy mi = load_policy("mozilla-intermediate", ".");
  EXPECT_EQ(mi.versions, (std::vector<Version>{Version::kTls12, Version::kTls13}));
  ASSERT_TRUE(mi.ciphers);
  EXPECT_EQ(mi.ciphers->size(), 6u);  // guidelines 6.0: ECDHE AEAD only
  EXPECT_TRUE(mi.ciphers->count(0xCCA8));
  EXPECT_EQ(mi.rsa_key_size, 2048);
  Policy m57 = load_policy("mozilla-intermediate-5.7", ".");
  EXPECT_EQ(m57.ciphers->size(), 9u);  // + three DHE-RSA suites
  EXPECT_TRUE(m57.ciphers->count(0x009F));
  Policy modern = load_policy("mozilla-modern", ".");
  EXPECT_EQ(modern.versions, (std::vector<Version>{Version::kTls13}));
  EXPECT_FALSE(modern.rsa_key_size);
  EXPECT_EQ(modern.certificate_types, (std::vector<std::string>{"ecdsa"}));
}

TEST(Policy, EveryDeviationIsItsOwnFinding) {
  Policy p = load_policy("mozilla-intermediate", ".");
  auto scan = scan_with({{Version::kTls10, {0x002F}},
                         {Version::kTls12, {0xC02F, 0x009C, 0x000A}},
                         {Version::kTls13, {0x1301}}});
  scan.versions[1].suites[0].ecdh_group = 0x0013;  // secp192r1 is below 256 bits
  CertInfo leaf;
  leaf.key_type = "RSA";
  leaf.key_bits = 1024;
  leaf.signature = "sha1WithRSAEncryption";
  leaf.lifespan_days = 825;
  auto d = policy_deviations(p, scan, leaf);
  std::vector<std::string> areas;
  for (const auto& x : d) areas.push_back(x.area);
  EXPECT_EQ(areas, (std::vector<std::string>{"version", "dh", "cipher", "cipher", "certificate",
                                             "key", "certificate"}));
  EXPECT_NE(d[0].message.find("TLSv1.0 accepted"), std::string::npos);
}

TEST(Policy, CompliantEndpointHasNoDeviation) {
  Policy p = load_policy("routeros-only-1.2", ".");
  auto scan = scan_with({{Version::kTls12, {0x009F, 0xC030}}});
  scan.versions[0].suites[0].dh_bits = 2048;
  CertInfo leaf;
  leaf.key_type = "RSA";
  leaf.key_bits = 2048;
  leaf.signature = "sha256WithRSAEncryption";
  EXPECT_TRUE(policy_deviations(p, scan, leaf).empty());
  scan.versions[0].suites[0].dh_bits = 1024;
  auto d = policy_deviations(p, scan, leaf);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].area, "dh");
}

TEST(Policy, BadFilesAreLocatedErrors) {
  EXPECT_THROW(load_policy("mozilla-intermedate", "."), ConfigError);
  try {
    parse_policy("p.json",
                 R"({"name": "x", "versions": ["TLSv1.4"], "ciphers": ["NOPE"], "extra": 1})");
    FAIL();
  } catch (const ConfigError& e) {
    ASSERT_GE(e.diagnostics().size(), 1u);
    EXPECT_NE(e.diagnostics()[0].message.find("extra"), std::string::npos);
  }
  try {
    parse_policy("p.json", "{\n\"name\": \"x\",\n \"versions\": [\"TLSv1.4\"]}");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics()[0].line, 3);
  }
  EXPECT_THROW(load_policy("/nonexistent/policy.json", "."), ConfigError);
}

}  // namespace
}  // namespace vantage::tls
