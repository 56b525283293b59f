// The certificate probe's findings as records, judged on the real
// certificates of the test PKI (tests/probes/peers/make_pki.sh, openssl),
// read from their files and checked the way observe() checks a served chain.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "probes/certificate_probe.hpp"
#include "tests/probes/peers/pki.hpp"
#include "tls/certificate.hpp"
#include "tls/openssl.hpp"

namespace vantage::testing {
namespace {

using results::Status;

// Every certificate in a PEM file, in order.
std::vector<tls::X509Ptr> load(const std::string& file) {
  std::vector<tls::X509Ptr> out;
  tls::BioPtr bio(BIO_new_file(pki(file).c_str(), "r"));
  if (!bio) return out;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
  return out;
}

// What observe() records for a chain it was served, under the test CA.
probes::CertificateObservation observe(const std::string& file, const std::string& name) {
  probes::CertificateObservation o;
  o.remote = "127.0.0.1:8729";
  auto chain = load(file);
  EXPECT_FALSE(chain.empty()) << file;
  for (const auto& c : chain) o.chain.push_back(tls::describe(c.get(), std::time(nullptr)));
  o.chain_report = tls::check_chain(chain, pki("ca.pem"));
  o.trust_mode = "ca_file";
  o.key_possession_proven = true;
  o.name = name;
  if (!chain.empty()) o.name_match = tls::match_name(chain.front().get(), name);
  return o;
}

probes::CertificateSpec under_test_ca() {
  probes::CertificateSpec s;
  s.ca_file = pki("ca.pem");
  s.system_trust = false;
  return s;
}

TEST(CertificateFindings, AValidCertificateHasNone) {
  auto s = under_test_ca();
  s.min_days_left = 30;
  s.min_rsa_bits = 2048;
  s.forbid_signatures = {"sha1"};
  const auto o = observe("valid.pem", "localhost");
  EXPECT_TRUE(s.findings(o).empty());
  const auto v = s.judge(o);
  EXPECT_EQ(v.status, Status::kPass) << v.message;
  EXPECT_TRUE(v.findings.empty());
}

TEST(CertificateFindings, OneFindingIsAFailWithItsRecord) {
  const auto v = under_test_ca().judge(observe("expired.pem", "localhost"));
  ASSERT_EQ(v.status, Status::kFail);
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].kind, "expired certificate");
  EXPECT_EQ(v.findings[0].item, "CN=expired.test");
  EXPECT_EQ(v.findings[0].text, "certificate expired on 2021-01-01T00:00:00Z");
  EXPECT_EQ(v.message, v.findings[0].text);  // one finding: no "1 finding(s) on ...:"
}

TEST(CertificateFindings, SeveralFindingsEachARecordCountedInWords) {
  auto s = under_test_ca();
  s.min_rsa_bits = 2048;
  s.forbid_signatures = {"sha1"};
  // rsa1024 under a wrong name, then sha1 under a wrong name.
  auto weak = s.judge(observe("rsa1024.pem", "router.example"));
  ASSERT_EQ(weak.status, Status::kFail);
  ASSERT_EQ(weak.findings.size(), 2u) << weak.message;
  EXPECT_EQ(weak.findings[0].kind, "name mismatch");
  EXPECT_EQ(weak.findings[0].item, "router.example");
  EXPECT_EQ(weak.findings[1].kind, "weak key");
  EXPECT_EQ(weak.findings[1].category, "RSA");
  EXPECT_EQ(weak.findings[1].text, "RSA key of 1024 bits (minimum 2048)");
  EXPECT_EQ(weak.message.rfind("2 findings on 127.0.0.1:8729: (1) name router.example", 0), 0u)
      << weak.message;

  auto sha1 = s.judge(observe("sha1.pem", "localhost"));
  ASSERT_EQ(sha1.findings.size(), 1u) << sha1.message;
  EXPECT_EQ(sha1.findings[0].kind, "forbidden signature");
  EXPECT_EQ(sha1.findings[0].category, "sha1WithRSAEncryption");
}

TEST(CertificateFindings, UntrustedAndChainProblems) {
  // Trusted by nothing: a self-signed leaf under the test CA's trust.
  auto self = under_test_ca().findings(observe("self.pem", "localhost"));
  ASSERT_FALSE(self.empty());
  EXPECT_EQ(self[0].kind, "untrusted chain");
  EXPECT_EQ(self[0].item, "CN=localhost");
  // The leaf without its intermediate: incomplete; CA before intermediate: misordered.
  auto missing = under_test_ca().findings(observe("chained.pem", "localhost"));
  ASSERT_FALSE(missing.empty());
  EXPECT_EQ(missing.back().kind, "incomplete chain");
  EXPECT_EQ(missing.back().text.find("(s)"), std::string::npos) << missing.back().text;
}

TEST(CertificateFindings, NoCertificateIsUnauthenticated) {
  probes::CertificateObservation o;
  o.remote = "127.0.0.1:8729";
  o.anonymous = true;
  o.cipher = "ADH-AES256-GCM-SHA384";
  o.first_failure = "alert handshake_failure";
  const auto v = under_test_ca().judge(o);
  ASSERT_EQ(v.status, Status::kFail);
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].kind, "unauthenticated endpoint");
  EXPECT_EQ(v.findings[0].item, "ADH-AES256-GCM-SHA384");
  EXPECT_EQ(v.findings[0].category, "anonymous suite");
}

}  // namespace
}  // namespace vantage::testing
