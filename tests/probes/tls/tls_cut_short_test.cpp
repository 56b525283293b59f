// The tls probe when the path cuts the scan short: a TCP front (tcp_front.hpp)
// in front of `openssl s_server` resets, closes, garbles or ignores chosen
// hellos, or limits concurrent sessions. A cut-short enumeration is retried
// sequentially; what is still missing keeps the check from passing.
#include <gtest/gtest.h>

#include <set>

#include "probes/tls_probe.hpp"
#include "tests/probes/peers/pki.hpp"
#include "tests/probes/peers/tcp_front.hpp"
#include "tests/probes/tls/scan_sets.hpp"

namespace vantage::testing {
namespace {

using results::Status;
using tls::Version;
using Action = TcpFront::Action;

std::string unknowns_of(const CheckRun& r) {
  std::string s;
  for (const auto& u : r.obs->unknowns) s += u + "; ";
  return s;
}

// TLS 1.2 only: an AEAD suite (found first: lower code point) and a CBC suite.
std::unique_ptr<SServer> tls12_two_suites() {
  return std::make_unique<SServer>(
      std::vector<std::string>{"-cert", pki("valid.pem"), "-key", pki("valid.key"), "-tls1_2",
                               "-cipher", "AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:@SECLEVEL=0"});
}

std::unique_ptr<SServer> all_versions() {
  return std::make_unique<SServer>(
      std::vector<std::string>{"-cert", pki("valid.pem"), "-key", pki("valid.key"), "-cipher",
                               "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1"});
}

const char* kForbidCbc = R"({"expect": {"forbid_ciphers": ["cbc"]}})";

TEST(CutShort, ResetAfterTheFirstAcceptedSuiteIsRetriedSequentially) {
  auto s = tls12_two_suites();
  int n12 = 0;
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    if (c.hello.hand_built_tls12() && ++n12 == 2) return Action::kReset;  // once
    return Action::kForward;
  });
  auto r = run_check("tls", kForbidCbc, front.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), std::string::npos)
      << r.verdict.message;
  EXPECT_EQ(suites_of(tls_obs(r), Version::kTls12), (std::set<std::uint16_t>{0x009C, 0xC013}));
}

class CutShortForGood : public ::testing::TestWithParam<Action> {};

TEST_P(CutShortForGood, EveryLaterHelloCutIsAnErrorNeverAPass) {
  auto s = tls12_two_suites();
  int n12 = 0;
  const Action cut = GetParam();
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    if (c.hello.hand_built_tls12() && ++n12 >= 2) return cut;
    return Action::kForward;
  });
  auto r = run_check("tls", kForbidCbc, front.port());
  ASSERT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(unknowns_of(r).find("TLSv1.2 suite enumeration incomplete"), std::string::npos)
      << unknowns_of(r);
}

INSTANTIATE_TEST_SUITE_P(ResetCloseGarbage, CutShortForGood,
                         ::testing::Values(Action::kReset, Action::kClose, Action::kGarbage));

std::unique_ptr<SServer> tls13_five() {
  return std::make_unique<SServer>(std::vector<std::string>{
      "-cert", pki("valid.pem"), "-key", pki("valid.key"), "-tls1_3", "-ciphersuites",
      "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_"
      "CCM_SHA256:TLS_AES_128_CCM_8_SHA256"});
}

bool only_suite(const HelloView& h, std::uint16_t code) {
  return h.suites.size() == 1 && h.suites[0] == code;
}

TEST(CutShort, Tls13SuiteWithoutAnswerIsRetried) {
  auto s = tls13_five();
  int n = 0;
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    if (only_suite(c.hello, 0x1302) && ++n == 1) return Action::kSilent;  // once
    return Action::kForward;
  });
  auto r = run_check("tls", R"({"expect": {"forbid_ciphers": ["TLS_AES_256_GCM_SHA384"]}})",
                     front.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_EQ(suites_of(tls_obs(r), Version::kTls13),
            (std::set<std::uint16_t>{0x1301, 0x1302, 0x1303, 0x1304, 0x1305}));
}

TEST(CutShort, Tls13SuiteNeverAnsweredIsAnError) {
  auto s = tls13_five();
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    return only_suite(c.hello, 0x1302) ? Action::kSilent : Action::kForward;
  });
  auto r = run_check("tls", R"({"expect": {"forbid_ciphers": ["TLS_AES_256_GCM_SHA384"]}})",
                     front.port());
  ASSERT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(unknowns_of(r).find("TLSv1.3"), std::string::npos) << unknowns_of(r);
  EXPECT_NE(unknowns_of(r).find("TLS_AES_256_GCM_SHA384"), std::string::npos) << unknowns_of(r);
}

TEST(CutShort, ParallelScanHittingASessionLimitFindsTheSameAsADirectScan) {
  auto s = all_versions();
  auto direct = run_check("tls", R"({"expect": {"reject": ["TLSv1.0"]}})", s->port());
  ASSERT_EQ(direct.verdict.status, Status::kFail) << direct.verdict.message;
  // max-sessions=2 with a reset beyond, as a connection-limit rule does.
  TcpFront front(s->port(), [](const TcpFront::Conn& c) {
    return c.active >= 2 ? Action::kReset : Action::kForward;
  });
  auto r = run_check("tls", R"({"expect": {"reject": ["TLSv1.0"]}})", front.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("TLSv1.0 accepted; expected refused"), std::string::npos)
      << r.verdict.message;
  ASSERT_TRUE(complete_scan(tls_obs(direct)));
  ASSERT_TRUE(complete_scan(tls_obs(r)));  // the retries finished what the limit cut
  EXPECT_EQ(tls_obs(r).accepted_versions(), tls_obs(direct).accepted_versions());
  for (Version v : {Version::kTls10, Version::kTls11, Version::kTls12, Version::kTls13})
    EXPECT_EQ(suites_of(tls_obs(r), v), suites_of(tls_obs(direct), v)) << tls::to_string(v) << "\n"
                                                                       << r.obs->evidence().dump(1);
}

TEST(CutShort, VersionHellosResetTwiceAreRetriedNotCountedRefused) {
  auto s = all_versions();
  int n10 = 0;
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    if (c.hello.client_version == 0x0301 && ++n10 <= 2) return Action::kReset;
    return Action::kForward;
  });
  auto r = run_check("tls", R"({"expect": {"reject": ["TLSv1.0"]}})", front.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("TLSv1.0 accepted; expected refused"), std::string::npos)
      << r.verdict.message;
}

TEST(CutShort, ConsistentResetWhileAKnownGoodHelloIsAnsweredCountsAsRefused) {
  // The rule the scanner documents: a close/reset is a refusal only when it
  // repeats on a sequential retry and the same server answers a hello of a
  // version it accepts right after.
  auto s = all_versions();
  TcpFront front(s->port(), [&](const TcpFront::Conn& c) {
    return c.hello.client_version == 0x0301 ? Action::kReset : Action::kForward;
  });
  auto r = run_check("tls", R"({"expect": {"reject": ["TLSv1.0"]}})", front.port());
  EXPECT_EQ(r.verdict.status, Status::kPass) << r.verdict.message;
  bool noted = false;
  for (const auto& w : r.obs->warnings) noted |= w.find("counted as refused") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(CutShort, SuitesOutsideTheCommonListAreStillOfferedWhenBigHellosAreDropped) {
  // A path that resets every hello carrying more than 150 suites: the scan
  // falls back to the common list (which has no CAMELLIA); the rest must
  // still be offered, in smaller hellos, or the CAMELLIA suite goes unseen.
  SServer s({"-cert", pki("valid.pem"), "-key", pki("valid.key"), "-tls1_2", "-cipher",
             "CAMELLIA128-SHA:AES128-GCM-SHA256:@SECLEVEL=0"});
  TcpFront front(s.port(), [](const TcpFront::Conn& c) {
    return c.hello.suites.size() > 150 ? Action::kReset : Action::kForward;
  });
  auto r =
      run_check("tls", R"({"expect": {"forbid_ciphers": ["TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"]}})",
                front.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_EQ(suites_of(tls_obs(r), Version::kTls12), (std::set<std::uint16_t>{0x0041, 0x009C}));
}

TEST(CutShort, EverythingResetAfterTheFirstConnectionsIsNeverAPass) {
  auto s = all_versions();
  TcpFront front(s->port(), [](const TcpFront::Conn& c) {
    return c.index < 4 ? Action::kForward : Action::kReset;
  });
  auto r = run_check("tls", R"({"expect": {"reject": ["TLSv1.0"], "forbid_ciphers": ["cbc"]}})",
                     front.port());
  EXPECT_NE(r.verdict.status, Status::kPass) << r.verdict.message;
  EXPECT_FALSE(r.obs->unknowns.empty());
}

}  // namespace
}  // namespace vantage::testing
