// Scenario parsing of the tls and certificate checks: located errors with
// suggestions, and decide() over hand-made observations. (Schema/keys
// agreement: tests/probes/registry_test.cpp.)
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "probes/certificate_probe.hpp"
#include "probes/tls_probe.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using testing::parse_check;

TEST(TlsParse, GoodChecks) {
  auto a = parse_check(
      "tls", R"({"expect": {"accept": ["TLSv1.2"], "reject": ["SSLv3", "TLSv1", "TLSv1.1"],
                            "forbid_ciphers": ["anonymous", "null", "export", "rc4", "3des", "DES-CBC3-SHA"],
                            "require_forward_secrecy": true}, "server_name": "r1.example.net"})");
  EXPECT_TRUE(a.diags.empty()) << a.errors();
  const auto& s = static_cast<const TlsSpec&>(*a.spec);
  EXPECT_EQ(s.reject.size(), 3u);
  EXPECT_TRUE(s.forbid_suites.count(0x000A));
  EXPECT_TRUE(s.require_forward_secrecy);
  auto p = parse_check("tls", R"({"policy": "routeros-only-1.2"})");
  EXPECT_TRUE(p.diags.empty()) << p.errors();
  auto c = parse_check(
      "certificate",
      R"({"expect": {"trust": {"pin": "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
                                    "min_days_left": 30, "forbid_signatures": ["sha1", "md5"]}})");
  EXPECT_TRUE(c.diags.empty()) << c.errors();
}

TEST(TlsParse, LocatedErrorsWithSuggestions) {
  auto v = parse_check(
      "tls",
      R"({"expect": {"accept": ["TLSv1.4"], "reject": ["TLSv1.2"], "forbid_ciphers": ["anonymus"]}})");
  EXPECT_NE(v.errors().find("unknown TLS version \"TLSv1.4\""), std::string::npos) << v.errors();
  EXPECT_NE(v.errors().find("did you mean \"anonymous\""), std::string::npos) << v.errors();
  auto both = parse_check("tls", R"({"expect": {"accept": ["TLSv1.2"], "reject": ["TLSv1.2"]}})");
  EXPECT_NE(both.errors().find("both accepted and rejected"), std::string::npos);
  auto key = parse_check("tls", R"({"expect": {"acept": ["TLSv1.2"]}})");
  EXPECT_NE(key.errors().find("accept"), std::string::npos) << key.errors();
  auto pol = parse_check("tls", R"({"policy": "mozilla-modren"})");
  EXPECT_NE(pol.errors().find("did you mean 'mozilla-modern'"), std::string::npos) << pol.errors();
  auto none = parse_check("tls", R"({})");
  EXPECT_FALSE(none.diags.empty());
  auto pin = parse_check("certificate", R"({"expect": {"trust": {"pin": "abc"}}})");
  EXPECT_NE(pin.errors().find("64 hex digits"), std::string::npos) << pin.errors();
  auto ca =
      parse_check("certificate", R"({"expect": {"trust": {"ca_file": "/nonexistent/ca.pem"}}})");
  EXPECT_NE(ca.errors().find("CA file not found"), std::string::npos) << ca.errors();
  auto trust = parse_check("certificate", R"({"expect": {"trust": "everyone"}})");
  EXPECT_FALSE(trust.diags.empty());
}

TEST(TlsJudge, ErrorIsNeverAPass) {
  auto a = parse_check("tls", R"({"expect": {"reject": ["SSLv3"]}})");
  TlsObservation obs;
  obs.error = "source mismatch";
  EXPECT_EQ(decide(*a.spec, obs).status, Status::kError);
  // Only TCP failures and timeouts: nothing was observed.
  TlsObservation silent;
  tls::VersionResult vr;
  vr.version = tls::Version::kSsl3;
  vr.first.kind = tls::HelloOutcome::Kind::kTimeout;
  silent.scan.versions.push_back(vr);
  EXPECT_EQ(decide(*a.spec, silent).status, Status::kError);
  // An alert is an answer: SSLv3 refused passes.
  silent.scan.versions[0].first.kind = tls::HelloOutcome::Kind::kAlert;
  silent.scan.versions[0].refused = true;
  EXPECT_EQ(decide(*a.spec, silent).status, Status::kPass);
  auto c = parse_check("certificate", R"({})");
  CertificateObservation co;
  co.error = "TLS handshake failed";
  EXPECT_EQ(decide(*c.spec, co).status, Status::kError);
}

}  // namespace
}  // namespace vantage::probes

namespace vantage::probes {
namespace {

TEST(TlsJudge, SilenceAndTruncationAreErrorsWithoutFindings) {
  auto a = parse_check(
      "tls",
      R"({"expect": {"accept": ["TLSv1.2"], "reject": ["TLSv1.0"], "forbid_ciphers": ["rc4"]}})");
  const auto& spec = static_cast<const TlsSpec&>(*a.spec);
  TlsObservation obs;
  // As the engine does it: observe() records what is unknown, decide() judges.
  auto verdict = [&] {
    obs.unknowns = spec.unknowns(obs);
    return decide(spec, obs);
  };
  tls::VersionResult v10, v12;
  v10.version = tls::Version::kTls10;
  v10.first.kind = tls::HelloOutcome::Kind::kTimeout;  // silence: not proof of refusal
  v12.version = tls::Version::kTls12;
  v12.accepted = true;
  v12.first.kind = tls::HelloOutcome::Kind::kServerHello;
  v12.suites.push_back({0xC02F, std::nullopt, std::nullopt});
  obs.scan.versions = {v10, v12};
  EXPECT_EQ(verdict().status, Status::kError) << verdict().message;
  // A TCP reset without confirmation is not a refusal either.
  obs.scan.versions[0].first.kind = tls::HelloOutcome::Kind::kReset;
  EXPECT_EQ(verdict().status, Status::kError) << verdict().message;
  obs.scan.versions[0].first.kind = tls::HelloOutcome::Kind::kAlert;
  obs.scan.versions[0].refused = true;
  EXPECT_EQ(verdict().status, Status::kPass) << verdict().message;
  obs.scan.versions[1].enumeration_truncated = true;
  obs.scan.versions[1].untested = {0x0005};
  EXPECT_EQ(verdict().status, Status::kError);
  EXPECT_NE(verdict().message.find("TLS_RSA_WITH_RC4_128_SHA"), std::string::npos)
      << verdict().message;
  // A finding is still a fail, even with gaps elsewhere.
  obs.scan.versions[1].suites.push_back({0x0005, std::nullopt, std::nullopt});  // RC4-SHA
  auto v = verdict();
  EXPECT_EQ(v.status, Status::kFail);
  EXPECT_NE(v.message.find("TLS_RSA_WITH_RC4_128_SHA (rc4"), std::string::npos) << v.message;
}

TEST(TlsJudge, DhSizeNeverSeenIsUnknownWhereDhIsJudged) {
  auto a = parse_check("tls", R"({"expect": {"min_dh_bits": 2048}})");
  const auto& spec = static_cast<const TlsSpec&>(*a.spec);
  TlsObservation obs;
  tls::VersionResult v12;
  v12.version = tls::Version::kTls12;
  v12.accepted = true;
  v12.first.kind = tls::HelloOutcome::Kind::kServerHello;
  v12.suites.push_back({0x009E, std::nullopt, std::nullopt});  // DHE, no ServerKeyExchange
  v12.suites.push_back({0xC02F, std::nullopt, std::nullopt});  // ECDHE: not a DH size
  obs.scan.versions = {v12};
  auto gaps = spec.unknowns(obs);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_NE(gaps[0].find("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: DH group size never seen"),
            std::string::npos)
      << gaps[0];
  obs.scan.versions[0].suites[0].dh_bits = 1024;
  EXPECT_TRUE(spec.unknowns(obs).empty());
  EXPECT_EQ(decide(spec, obs).status, Status::kFail);
}

}  // namespace
}  // namespace vantage::probes
