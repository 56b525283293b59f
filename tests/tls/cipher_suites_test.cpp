#include "tls/cipher_suites.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tls/version.hpp"

namespace vantage::tls {
namespace {

// One value-parameterised case per row of the registry table.
class SuiteRow : public ::testing::TestWithParam<CipherSuite> {};

TEST_P(SuiteRow, RowIsConsistent) {
  const CipherSuite& s = GetParam();
  EXPECT_EQ(find_suite(s.code),
            &*std::find_if(cipher_suites().begin(), cipher_suites().end(),
                           [&](const CipherSuite& x) { return x.code == s.code; }));
  EXPECT_EQ(find_suite(std::string_view(s.iana))->code, s.code) << s.iana;
  if (*s.openssl) {
    EXPECT_EQ(find_suite(std::string_view(s.openssl))->code, s.code) << s.openssl;
  }
  const std::string name = s.iana;
  EXPECT_EQ(s.has(SuiteClass::kExport),
            name.find("EXPORT") != std::string::npos || name.find("_40_") != std::string::npos)
      << name;
  EXPECT_EQ(s.has(SuiteClass::kRc4), name.find("RC4") != std::string::npos) << name;
  EXPECT_EQ(s.has(SuiteClass::k3des), name.find("3DES") != std::string::npos) << name;
  EXPECT_EQ(s.has(SuiteClass::kAnonymous),
            name.find("_anon_") != std::string::npos || s.code == 0x0000)
      << name;
  if (name.find("_GCM") != std::string::npos || name.find("POLY1305") != std::string::npos) {
    EXPECT_TRUE(s.has(SuiteClass::kAead)) << name;
  }
  if (name.find("_CBC") != std::string::npos) {
    EXPECT_TRUE(s.has(SuiteClass::kCbc)) << name;
  }
  if (name.rfind("TLS_RSA_WITH_", 0) == 0) {
    EXPECT_TRUE(s.has(SuiteClass::kNoForwardSecrecy)) << name;
  }
  if (name.rfind("TLS_ECDHE_", 0) == 0 || name.rfind("TLS_DHE_", 0) == 0) {
    EXPECT_FALSE(s.has(SuiteClass::kNoForwardSecrecy)) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, SuiteRow, ::testing::ValuesIn(cipher_suites()),
                         [](const auto& row) {
                           char buf[16];
                           std::snprintf(buf, sizeof buf, "x%04X", row.param.code);
                           return std::string(buf);
                         });

TEST(CipherSuites, TableIsSortedUniqueAndLarge) {
  const auto& t = cipher_suites();
  ASSERT_GT(t.size(), 300u);  // the IANA registry, not OpenSSL's subset
  std::set<std::string> names;
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_LT(t[i - 1].code, t[i].code);
  for (const auto& s : t) EXPECT_TRUE(names.insert(s.iana).second) << s.iana;
}

TEST(CipherSuites, KnownRows) {
  const CipherSuite* s = find_suite(0xC02F);
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s->iana, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_STREQ(s->openssl, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_TRUE(s->has(SuiteClass::kAead));
  EXPECT_TRUE(s->ecdhe_kx());
  EXPECT_EQ(find_suite("DES-CBC3-SHA")->code, 0x000A);
  EXPECT_EQ(find_suite("rc4-md5")->code, 0x0004);
  EXPECT_TRUE(find_suite(0x0018)->has(SuiteClass::kAnonymous));  // ADH-RC4-MD5
  EXPECT_TRUE(find_suite(0x0018)->ffdhe_kx());
  EXPECT_TRUE(find_suite(0x0003)->has(SuiteClass::kExport));
  EXPECT_TRUE(find_suite(0x0002)->has(SuiteClass::kNull));
  EXPECT_EQ(suite_name(0xFAFA), "0xFAFA");
  EXPECT_EQ(tls13_suite_codes().size(), 5u);
  for (auto c : legacy_suite_codes()) EXPECT_FALSE(find_suite(c)->tls13);
}

TEST(CipherSuites, ClassNames) {
  for (SuiteClass c : all_suite_classes()) EXPECT_EQ(suite_class_from(to_string(c)), c);
  EXPECT_FALSE(suite_class_from("weak"));
  EXPECT_EQ(class_names(find_suite(0x0004)->classes),
            (std::vector<std::string>{"rc4", "no-forward-secrecy"}));
}

TEST(Versions, Names) {
  EXPECT_EQ(version_from("TLSv1"), Version::kTls10);
  EXPECT_EQ(version_from("TLSv1.0"), Version::kTls10);
  EXPECT_EQ(version_from("tls1_2"), Version::kTls12);
  EXPECT_EQ(version_from("SSLv3"), Version::kSsl3);
  EXPECT_EQ(version_from("TLSv1.3"), Version::kTls13);
  EXPECT_FALSE(version_from("TLSv1.4"));
  EXPECT_EQ(version_name(0x0303), "TLSv1.2");
  EXPECT_EQ(version_name(0x7f1c), "0x7f1c");
}

}  // namespace
}  // namespace vantage::tls

namespace vantage::tls {
namespace {

TEST(CipherSuites, CommonListIsShortAndCoversTheUsualSuites) {
  const auto& c = common_suite_codes();
  EXPECT_LT(c.size(), 100u);
  for (std::uint16_t want :
       {0x0005, 0x000A, 0x002F, 0x0035, 0x009C, 0x009F, 0xC02F, 0xC030, 0xCCA8, 0x0034, 0xC018})
    EXPECT_NE(std::find(c.begin(), c.end(), want), c.end()) << std::hex << want;
}

}  // namespace
}  // namespace vantage::tls
