// The tls probe against Debian's `openssl s_server`, a cross-check of the
// hand-built hellos against OpenSSL's own client, and the sslscan oracle.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "probes/tls_probe.hpp"
#include "tests/probes/peers/pki.hpp"
#include "tests/probes/tls/scan_sets.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/tls_stream.hpp"

namespace vantage::testing {
namespace {

using probes::TlsObservation;
using results::Status;
using tls::Version;

std::vector<std::string> cert_args(const std::string& name = "valid") {
  return {"-cert", pki(name + ".pem"), "-key", pki(name + ".key")};
}

std::vector<std::string> with(std::vector<std::string> a, std::vector<std::string> b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const char* kStrict =
    R"({"expect": {"accept": ["TLSv1.2"], "reject": ["SSLv3", "TLSv1.0", "TLSv1.1"],
                   "forbid_ciphers": ["anonymous", "null", "export", "rc4", "3des"]}})";

// OpenSSL's own client (tls::TlsStream), connected to 127.0.0.1:port and
// speaking only version `v`; null when the connect fails.
std::unique_ptr<tls::TlsStream> openssl_client(std::uint16_t port, Version v) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return nullptr;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  tls::TlsOptions to;
  to.min_version = v;
  to.max_version = v;
  to.cipher_list = "ALL:@SECLEVEL=0";
  return std::make_unique<tls::TlsStream>(UniqueFd(fd), to);
}

TEST(TlsPeer, Tls12Only) {
  SServer s(with(cert_args(), {"-tls1_2"}));
  auto r = run_check("tls", kStrict, s.port());
  const auto& o = tls_obs(r);
  ASSERT_TRUE(complete_scan(o));
  EXPECT_EQ(r.verdict.status, Status::kPass) << r.verdict.message;
  EXPECT_EQ(o.accepted_versions(), (std::vector<std::string>{"TLSv1.2"}));
  auto suites = suites_of(o, Version::kTls12);
  EXPECT_TRUE(suites.count(0xC02F));  // ECDHE-RSA-AES128-GCM-SHA256
  EXPECT_TRUE(suites.count(0x009F));  // DHE-RSA-AES256-GCM-SHA384
  // The DH group from ServerKeyExchange (OpenSSL's auto DH for a 2048-bit key).
  bool saw_dh = false;
  for (const auto& vr : o.scan.versions)
    for (const auto& su : vr.suites)
      if (su.code == 0x009F && su.dh_bits) {
        saw_dh = true;
        EXPECT_GE(*su.dh_bits, 2048);
      }
  EXPECT_TRUE(saw_dh);
  // Refusals are told apart: TLS 1.3 hello gets an alert from a 1.2-only server.
  for (const auto& vr : o.scan.versions)
    if (vr.version == Version::kTls13) {
      EXPECT_EQ(vr.first.kind, tls::HelloOutcome::Kind::kAlert);
    }
  // Every connection came from the source and was recorded.
  ASSERT_FALSE(r.connections.empty());
  for (const auto& c : r.connections) EXPECT_EQ(c.local.rfind("127.0.0.1:", 0), 0u) << c.local;
  EXPECT_EQ(o.local_address, "127.0.0.1");
  EXPECT_EQ(r.connections.size(), o.scan.connections);
}

TEST(TlsPeer, Tls13OnlyEachOfTheFiveSuites) {
  SServer s(
      with(cert_args(), {"-tls1_3", "-ciphersuites",
                         "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_"
                         "SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"}));
  auto r =
      run_check("tls", R"({"expect": {"accept": ["TLSv1.3"], "reject": ["TLSv1.2"]}})", s.port());
  ASSERT_TRUE(complete_scan(tls_obs(r)));
  EXPECT_EQ(r.verdict.status, Status::kPass) << r.verdict.message;
  EXPECT_EQ(tls_obs(r).accepted_versions(), (std::vector<std::string>{"TLSv1.3"}));
  EXPECT_EQ(suites_of(tls_obs(r), Version::kTls13),
            (std::set<std::uint16_t>{0x1301, 0x1302, 0x1303, 0x1304, 0x1305}));
  // The strict 1.2 expectation fails with one finding per deviation.
  auto strict = run_check("tls", kStrict, s.port());
  EXPECT_EQ(strict.verdict.status, Status::kFail);
  EXPECT_NE(strict.verdict.message.find("TLSv1.2 refused"), std::string::npos)
      << strict.verdict.message;
}

TEST(TlsPeer, AllVersionsAtSeclevel0AndCrossCheckWithOpenSSL) {
  SServer s(with(cert_args(), {"-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1"}));
  auto r = run_check("tls", kStrict, s.port(), "", kWholeCatalogScan);
  const auto& o = tls_obs(r);
  ASSERT_TRUE(complete_scan(o));  // the cross-check below compares whole sets
  EXPECT_EQ(o.accepted_versions(),
            (std::vector<std::string>{"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("TLSv1.0 accepted; expected refused"), std::string::npos);
  EXPECT_NE(r.verdict.message.find("TLSv1.1 accepted; expected refused"), std::string::npos);
  EXPECT_NE(r.verdict.message.find("(anonymous"), std::string::npos);  // ADH in ALL
  // Cross-check: OpenSSL's own client agrees on every version it can speak,
  // and on the suite it picks from the same server for TLS 1.2.
  for (Version v : {Version::kTls10, Version::kTls11, Version::kTls12, Version::kTls13}) {
    auto client = openssl_client(s.port(), v);
    ASSERT_NE(client, nullptr) << "connect to 127.0.0.1:" << s.port();
    tls::TlsStream& ts = *client;
    auto hr = ts.handshake(Deadline::in(std::chrono::seconds(5)));
    const bool hand_built = std::find(o.accepted_versions().begin(), o.accepted_versions().end(),
                                      tls::to_string(v)) != o.accepted_versions().end();
    EXPECT_EQ(hr.ok(), hand_built) << tls::to_string(v) << ": " << hr.detail;
    if (hr.ok()) {
      EXPECT_EQ(ts.version(),
                tls::to_string(v) == std::string("TLSv1.0") ? "TLSv1" : tls::to_string(v));
      EXPECT_TRUE(suites_of(o, v).count(ts.cipher_code())) << ts.cipher();
    }
  }
}

TEST(TlsPeer, CrossCheckRefusalWithOpenSSL) {
  SServer s(with(cert_args(), {"-tls1_2"}));
  auto r = run_check("tls", kStrict, s.port());
  for (Version v : {Version::kTls10, Version::kTls11, Version::kTls13}) {
    auto client = openssl_client(s.port(), v);
    ASSERT_NE(client, nullptr) << "connect to 127.0.0.1:" << s.port();
    tls::TlsStream& ts = *client;
    EXPECT_FALSE(ts.handshake(Deadline::in(std::chrono::seconds(5))).ok()) << tls::to_string(v);
    for (const auto& vr : tls_obs(r).scan.versions)
      if (vr.version == v) {
        EXPECT_FALSE(vr.accepted);
      }
  }
}

TEST(TlsPeer, AnonymousOnlyServerIsAFinding) {
  SServer s({"-nocert", "-cipher", "ADH:@SECLEVEL=0", "-no_tls1_3"});
  auto r = run_check("tls", kStrict, s.port());
  ASSERT_TRUE(complete_scan(tls_obs(r)));  // "every suite found" is vacuous otherwise
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("TLS_DH_anon_"), std::string::npos);
  for (auto code : suites_of(tls_obs(r), Version::kTls12))
    EXPECT_TRUE(tls::find_suite(code)->has(tls::SuiteClass::kAnonymous)) << code;
}

TEST(TlsPeer, NullCipherServerIsAFinding) {
  SServer s(with(cert_args(), {"-cipher", "eNULL:@SECLEVEL=0", "-tls1_2"}));
  auto r = run_check("tls", R"({"expect": {"forbid_ciphers": ["null"]}})", s.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("(null"), std::string::npos);
  auto ok =
      run_check("tls", R"({"expect": {"forbid_ciphers": ["rc4", "3des", "export"]}})", s.port());
  EXPECT_EQ(ok.verdict.status, Status::kPass) << ok.verdict.message;
}

TEST(TlsPeer, ForwardSecrecyAndDhSize) {
  SServer s(with(cert_args(),
                 {"-tls1_2", "-cipher", "AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
                  "-dhparam", pki("dh1536.pem")}));
  auto r = run_check("tls", R"({"expect": {"require_forward_secrecy": true, "min_dh_bits": 2048}})",
                     s.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("TLS_RSA_WITH_AES_128_GCM_SHA256 without forward secrecy"),
            std::string::npos)
      << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("1536-bit DH group"), std::string::npos) << r.verdict.message;
}

TEST(TlsPeer, PolicyProfiles) {
  // ECDHE + AEAD, TLS 1.2/1.3, RSA 2048 sha256: mozilla-intermediate compliant.
  SServer good(
      with(cert_args(), {"-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"}));
  auto r = run_check("tls", R"({"policy": "mozilla-intermediate"})", good.port());
  EXPECT_EQ(r.verdict.status, Status::kPass) << r.verdict.message;
  // The same endpoint is not mozilla-modern (TLS 1.2 accepted, RSA certificate).
  auto m = run_check("tls", R"({"policy": "mozilla-modern"})", good.port());
  ASSERT_EQ(m.verdict.status, Status::kFail);
  EXPECT_NE(m.verdict.message.find("TLSv1.2 accepted; mozilla-modern allows only TLSv1.3"),
            std::string::npos)
      << m.verdict.message;
  EXPECT_NE(m.verdict.message.find("certificate key type rsa"), std::string::npos)
      << m.verdict.message;
  // A legacy endpoint: one finding per deviation, including the weak key and SHA-1.
  SServer bad(with(cert_args("sha1"), {"-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1"}));
  auto b = run_check("tls", R"({"policy": "routeros-only-1.2"})", bad.port());
  ASSERT_EQ(b.verdict.status, Status::kFail);
  for (const char* want :
       {"TLSv1.0 accepted", "TLSv1.1 accepted", "TLSv1.3 accepted",
        "TLS_RSA_WITH_AES_128_CBC_SHA accepted", "certificate signature sha1WithRSAEncryption"})
    EXPECT_NE(b.verdict.message.find(want), std::string::npos) << want;
  // A user policy file by path.
  std::ofstream(pki("user-policy.json")) << R"({"name": "only-13", "versions": ["TLSv1.3"]})";
  auto u = run_check("tls", R"({"policy": "user-policy.json"})", good.port());
  ASSERT_EQ(u.verdict.status, Status::kFail);
  EXPECT_NE(u.verdict.message.find("only-13"), std::string::npos);
}

TEST(TlsPeer, NoTlsAnswerIsAnErrorNotAPass) {
  // Nothing listens on this port: every hello fails at TCP.
  auto r = run_check("tls", R"({"expect": {"reject": ["SSLv3", "TLSv1.0"]}})", free_port(), "",
                     std::chrono::milliseconds(2000));
  EXPECT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
}

// --- the sslscan oracle ---

struct ScanSet {
  std::set<std::string> versions;
  std::set<std::pair<std::string, std::uint16_t>> suites;
};

ScanSet run_sslscan(std::uint16_t port) {
  const std::string xml = pki("sslscan-" + std::to_string(port) + ".xml");
  std::string cmd = "sslscan --no-colour --xml=" + xml + " 127.0.0.1:" + std::to_string(port) +
                    " > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(xml);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  ScanSet out;
  std::regex proto(R"re(<protocol type="(ssl|tls)" version="([0-9.]+)" enabled="1")re");
  for (std::sregex_iterator it(text.begin(), text.end(), proto), end; it != end; ++it) {
    std::string v = (*it)[1] == "ssl" ? "SSLv" + (*it)[2].str() : "TLSv" + (*it)[2].str();
    out.versions.insert(v);
  }
  std::regex cipher(R"re(<cipher status="\w+" sslversion="([^"]+)"[^>]* id="0x([0-9a-fA-F]+)")re");
  for (std::sregex_iterator it(text.begin(), text.end(), cipher), end; it != end; ++it)
    out.suites.insert(
        {(*it)[1].str(), static_cast<std::uint16_t>(std::stoul((*it)[2].str(), nullptr, 16))});
  return out;
}

ScanSet vantage_set(const TlsObservation& o) {
  ScanSet out;
  for (const auto& vr : o.scan.versions) {
    if (!vr.accepted) continue;
    out.versions.insert(tls::to_string(vr.version));
    for (const auto& s : vr.suites) out.suites.insert({tls::to_string(vr.version), s.code});
  }
  return out;
}

void expect_oracle_agrees(const std::vector<std::string>& server_args) {
  SServer s(server_args);
  auto r =
      run_check("tls", R"({"expect": {"reject": ["SSLv3"]}})", s.port(), "", kWholeCatalogScan);
  ASSERT_NE(r.verdict.status, Status::kError) << r.verdict.message;
  ASSERT_TRUE(complete_scan(tls_obs(r)));
  ScanSet mine = vantage_set(tls_obs(r));
  ScanSet theirs = run_sslscan(s.port());
  // sslscan prints "TLSv1.0" for TLS 1.0 in its cipher lines and "1.0" in protocols.
  EXPECT_EQ(mine.versions, theirs.versions);
  EXPECT_EQ(mine.suites, theirs.suites);
  EXPECT_FALSE(mine.suites.empty());
}

TEST(SslscanOracle, Tls12Default) {
  expect_oracle_agrees(with(cert_args(), {"-tls1_2"}));
}

TEST(SslscanOracle, AllVersionsSeclevel0) {
  expect_oracle_agrees(
      with(cert_args(), {"-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0", "-min_protocol", "TLSv1"}));
}

TEST(SslscanOracle, Tls13FiveSuites) {
  expect_oracle_agrees(
      with(cert_args(), {"-tls1_3", "-ciphersuites",
                         "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_"
                         "POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"}));
}

TEST(SslscanOracle, AnonymousOnly) {
  expect_oracle_agrees({"-nocert", "-cipher", "aNULL:@SECLEVEL=0", "-no_tls1_3"});
}

}  // namespace
}  // namespace vantage::testing

namespace vantage::testing {
namespace {

TEST(TlsPeer, SequentialModeFindsTheSame) {
  SServer s({"-cert", pki("valid.pem"), "-key", pki("valid.key"), "-cipher", "ALL:@SECLEVEL=0",
             "-min_protocol", "TLSv1"});
  // One connection at a time through every suite (about 180 hellos of two
  // round trips each): on a 120 ms link with loss that is about 50 s, so
  // give it the time a user would.
  const std::chrono::milliseconds patient(2 * kWholeCatalogScan);
  auto par = run_check("tls", R"({"expect": {"reject": ["SSLv3"]}})", s.port(), "", patient);
  auto seq = run_check("tls", R"({"expect": {"reject": ["SSLv3"]}, "parallel": false})", s.port(),
                       "", patient);
  EXPECT_EQ(seq.verdict.status, Status::kPass) << seq.verdict.message;
  ASSERT_TRUE(complete_scan(tls_obs(par)));
  ASSERT_TRUE(complete_scan(tls_obs(seq)));
  EXPECT_EQ(tls_obs(par).accepted_versions(), tls_obs(seq).accepted_versions());
  for (Version v : {Version::kTls10, Version::kTls12, Version::kTls13})
    EXPECT_EQ(suites_of(tls_obs(par), v), suites_of(tls_obs(seq), v));
}

}  // namespace
}  // namespace vantage::testing
