// The certificate probe against `openssl s_server` serving certificates the
// tests generate (tests/probes/peers/make_pki.sh).
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <atomic>
#include <thread>

#include "probes/certificate_probe.hpp"
#include "tests/probes/peers/pki.hpp"
#include "tests/tls/hello_peer.hpp"
#include "tls/certificate.hpp"
#include "tls/openssl.hpp"

namespace vantage::testing {
namespace {

using results::Status;

// A server for certificate NAME (SECLEVEL 0 so weak test keys still load).
std::unique_ptr<SServer> serve(const std::string& name, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"-cert",   pki(name + ".pem"),   "-key", pki(name + ".key"),
                                "-cipher", "DEFAULT:@SECLEVEL=0"};
  a.insert(a.end(), extra.begin(), extra.end());
  return std::make_unique<SServer>(a);
}

std::string ca_expect(const std::string& more = "") {
  return R"({"expect": {"trust": {"ca_file": "ca.pem"}, "name": "localhost")" + more + "}}";
}

const probes::CertificateObservation& cobs(const CheckRun& r) {
  return static_cast<const probes::CertificateObservation&>(*r.obs);
}

TEST(CertificatePeer, ValidUnderTestCa) {
  auto s = serve("valid");
  auto r = run_check(
      "certificate",
      ca_expect(
          R"(, "min_days_left": 30, "min_rsa_bits": 2048, "forbid_signatures": ["sha1", "md5"])"),
      s->port());
  EXPECT_EQ(r.verdict.status, Status::kPass) << r.verdict.message;
  const auto& o = cobs(r);
  ASSERT_EQ(o.chain.size(), 1u);
  const auto& leaf = o.chain[0];
  EXPECT_EQ(leaf.subject, "CN=valid.test");
  EXPECT_EQ(leaf.issuer, "CN=vantage test CA");
  EXPECT_EQ(leaf.dns_names, (std::vector<std::string>{"localhost"}));
  EXPECT_EQ(leaf.ip_addresses, (std::vector<std::string>{"127.0.0.1"}));
  EXPECT_EQ(leaf.key_type, "RSA");
  EXPECT_EQ(leaf.key_bits, 2048);
  EXPECT_EQ(leaf.signature, "sha256WithRSAEncryption");
  EXPECT_GE(leaf.days_left, 363);
  EXPECT_EQ(leaf.sha256.size(), 64u);
  EXPECT_EQ(leaf.spki_sha256.size(), 64u);
  EXPECT_TRUE(leaf.eku_server_auth);
  // Evidence carries what an auditor copies.
  auto e = r.obs->evidence();
  for (const char* k : {"subject", "issuer", "serial", "not_before", "not_after", "days_left",
                        "dns_names", "ip_addresses", "sha256", "spki_sha256", "key", "signature"})
    EXPECT_TRUE(e["chain"][0].contains(k)) << k;
  EXPECT_EQ(e["trusted"], true);
  // The same certificate is not trusted by the system store.
  auto sys = run_check("certificate", R"({"expect": {"name": "localhost"}})", s->port());
  ASSERT_EQ(sys.verdict.status, Status::kFail);
  EXPECT_NE(sys.verdict.message.find("not trusted by the system store"), std::string::npos);
}

TEST(CertificatePeer, Expired) {
  auto s = serve("expired");
  auto r = run_check("certificate", ca_expect(), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("expired on 2021-01-01T00:00:00Z"), std::string::npos)
      << r.verdict.message;
  EXPECT_TRUE(cobs(r).chain_report.trusted);  // trust is judged apart from the dates
}

TEST(CertificatePeer, NotYetValid) {
  auto s = serve("notyet");
  auto r = run_check("certificate", ca_expect(), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("not valid before 2099-01-01"), std::string::npos)
      << r.verdict.message;
}

TEST(CertificatePeer, WrongName) {
  auto s = serve("wrongname");
  auto r = run_check("certificate", ca_expect(), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("name localhost not in the certificate (SANs: other.example)"),
            std::string::npos)
      << r.verdict.message;
  // The CN is "wrongname.test": no CN fallback when SANs exist.
  auto cn = run_check("certificate",
                      R"({"expect": {"trust": {"ca_file": "ca.pem"}, "name": "wrongname.test"}})",
                      s->port());
  EXPECT_EQ(cn.verdict.status, Status::kFail) << cn.verdict.message;
}

TEST(CertificatePeer, IpSanOnly) {
  auto s = serve("iponly");
  auto ip =
      run_check("certificate",
                R"({"expect": {"trust": {"ca_file": "ca.pem"}, "name": "127.0.0.1"}})", s->port());
  EXPECT_EQ(ip.verdict.status, Status::kPass) << ip.verdict.message;
  // Default name: the target host (127.0.0.1) when neither expect nor target names one.
  auto dflt =
      run_check("certificate", R"({"expect": {"trust": {"ca_file": "ca.pem"}}})", s->port());
  EXPECT_EQ(dflt.verdict.status, Status::kPass) << dflt.verdict.message;
  auto dns = run_check("certificate", ca_expect(), s->port());
  EXPECT_EQ(dns.verdict.status, Status::kFail);
}

TEST(CertificatePeer, Rsa1024) {
  auto s = serve("rsa1024");
  auto r = run_check("certificate", ca_expect(R"(, "min_rsa_bits": 2048)"), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("RSA key of 1024 bits (minimum 2048)"), std::string::npos);
}

TEST(CertificatePeer, Sha1Signature) {
  auto s = serve("sha1");
  auto r = run_check("certificate", ca_expect(R"(, "forbid_signatures": ["sha1"])"), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("signed with forbidden sha1WithRSAEncryption"),
            std::string::npos)
      << r.verdict.message;
  auto ok = run_check("certificate", ca_expect(R"(, "forbid_signatures": ["md5"])"), s->port());
  EXPECT_EQ(ok.verdict.status, Status::kPass) << ok.verdict.message;
}

TEST(CertificatePeer, EkuWithoutServerAuth) {
  auto s = serve("clientonly");
  auto r = run_check("certificate", ca_expect(), s->port());
  ASSERT_EQ(r.verdict.status, Status::kFail);
  EXPECT_NE(r.verdict.message.find("without serverAuth"), std::string::npos) << r.verdict.message;
}

TEST(CertificatePeer, SelfSignedPinned) {
  auto s = serve("self");
  // The pin, computed independently of vantage: SHA-256 of the DER SPKI.
  tls::X509Ptr cert;
  {
    FILE* f = std::fopen(pki("self.pem").c_str(), "r");
    ASSERT_NE(f, nullptr);
    cert.reset(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
  }
  auto info = tls::describe(cert.get(), std::time(nullptr));
  auto pinned = run_check(
      "certificate",
      R"({"expect": {"trust": {"pin": ")" + info.spki_sha256 + R"("}, "name": "localhost"}})",
      s->port());
  EXPECT_EQ(pinned.verdict.status, Status::kPass) << pinned.verdict.message;
  EXPECT_EQ(cobs(pinned).chain[0].key_type, "EC");
  auto b64 = run_check(
      "certificate",
      R"({"expect": {"trust": {"pin": "sha256/)" + info.spki_sha256_base64 + R"("}}})", s->port());
  EXPECT_EQ(b64.verdict.status, Status::kPass) << b64.verdict.message;
  auto wrong = run_check(
      "certificate",
      R"({"expect": {"trust": {"pin": "0000000000000000000000000000000000000000000000000000000000000000"}}})",
      s->port());
  ASSERT_EQ(wrong.verdict.status, Status::kFail);
  EXPECT_NE(wrong.verdict.message.find("matches the pin"), std::string::npos);
  auto unpinned = run_check("certificate", R"({"expect": {"name": "localhost"}})", s->port());
  EXPECT_EQ(unpinned.verdict.status, Status::kFail);
}

tls::CertInfo info_of(const std::string& file) {
  FILE* f = std::fopen(pki(file).c_str(), "r");
  if (!f) throw std::runtime_error("cannot read " + file);
  tls::X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  return tls::describe(cert.get(), std::time(nullptr));
}

std::string pin_expect(const std::string& pin) {
  return R"({"expect": {"trust": {"pin": ")" + pin + R"("}, "name": "localhost"}})";
}

// An impostor sends its own leaf (issuer DN and AKID of the pinned CA, signed
// by its own key) followed by the real, public CA certificate. Only the
// signature tells it apart: a pin must be reached by a verified path.
TEST(CertificatePeer, ImpostorLeafUnderAPinnedCaFails) {
  const tls::CertInfo ca = info_of("ca.pem");
  auto impostor = serve("impostor", {"-cert_chain", pki("ca.pem")});
  auto genuine = serve("valid", {"-cert_chain", pki("ca.pem")});
  for (const std::string& pin : {ca.sha256, ca.spki_sha256, "sha256/" + ca.spki_sha256_base64}) {
    auto bad = run_check("certificate", pin_expect(pin), impostor->port());
    ASSERT_EQ(bad.verdict.status, Status::kFail) << pin << ": " << bad.verdict.message;
    EXPECT_NE(bad.verdict.message.find("does not verify"), std::string::npos)
        << bad.verdict.message;
    EXPECT_EQ(cobs(bad).chain.size(), 2u);
    auto good = run_check("certificate", pin_expect(pin), genuine->port());
    EXPECT_EQ(good.verdict.status, Status::kPass) << pin << ": " << good.verdict.message;
  }
}

TEST(CertificatePeer, ChainOrderIsCheckedBySignatureNotOnlyByNames) {
  auto impostor = serve("impostor", {"-cert_chain", pki("ca.pem")});
  auto r = run_check("certificate", ca_expect(), impostor->port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_FALSE(cobs(r).chain_report.in_order);
  EXPECT_NE(r.verdict.message.find("signature"), std::string::npos) << r.verdict.message;
}

TEST(CertificatePeer, ChainCompleteIncompleteAndOrder) {
  auto full = serve("chained", {"-cert_chain", pki("inter.pem")});
  auto ok = run_check("certificate", ca_expect(), full->port());
  EXPECT_EQ(ok.verdict.status, Status::kPass) << ok.verdict.message;
  EXPECT_EQ(cobs(ok).chain.size(), 2u);
  auto missing = serve("chained");
  auto inc = run_check("certificate", ca_expect(), missing->port());
  ASSERT_EQ(inc.verdict.status, Status::kFail);
  EXPECT_NE(inc.verdict.message.find("chain incomplete"), std::string::npos) << inc.verdict.message;
  auto disordered = serve("chained", {"-cert_chain", pki("ca-then-inter.pem")});
  auto dis = run_check("certificate", ca_expect(), disordered->port());
  ASSERT_EQ(dis.verdict.status, Status::kFail);
  EXPECT_NE(dis.verdict.message.find("chain out of order"), std::string::npos)
      << dis.verdict.message;
}

TEST(CertificatePeer, AnonymousEndpointIsUnauthenticatedFailNotError) {
  // What RouterOS api-ssl does with certificate=none.
  SServer s({"-nocert", "-cipher", "ADH:@SECLEVEL=0", "-no_tls1_3"});
  auto r = run_check("certificate", ca_expect(), s.port());
  ASSERT_EQ(r.verdict.status, Status::kFail) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("endpoint is unauthenticated"), std::string::npos);
  EXPECT_TRUE(cobs(r).anonymous);
  EXPECT_NE(cobs(r).cipher.find("ADH"), std::string::npos);
  EXPECT_EQ(r.connections.size(), 2u);  // the authenticated try, then the anonymous one
}

TEST(CertificatePeer, NothingListeningIsAnError) {
  auto r = run_check("certificate", ca_expect(), free_port(), "", std::chrono::milliseconds(2000));
  EXPECT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
}

}  // namespace
}  // namespace vantage::testing

namespace vantage::testing {
namespace {

// A canned legacy server: answers every hello with a TLS 1.2 ServerHello for
// TLS_RSA_WITH_RC4_128_SHA (which Debian's OpenSSL cannot negotiate), its
// certificate and ServerHelloDone, then closes.
class Rc4OnlyServer {
 public:
  explicit Rc4OnlyServer(std::vector<std::uint8_t> der) {
    auto u16 = [](std::vector<std::uint8_t>& b, std::size_t v) {
      b.push_back(static_cast<std::uint8_t>(v >> 8));
      b.push_back(static_cast<std::uint8_t>(v));
    };
    auto u24 = [&](std::vector<std::uint8_t>& b, std::size_t v) {
      b.push_back(static_cast<std::uint8_t>(v >> 16));
      u16(b, v & 0xffff);
    };
    std::vector<std::uint8_t> hs = {2};
    u24(hs, 2 + 32 + 1 + 2 + 1);
    u16(hs, 0x0303);
    for (int i = 0; i < 32; ++i) hs.push_back(static_cast<std::uint8_t>(i + 1));
    hs.push_back(0);
    u16(hs, 0x0005);
    hs.push_back(0);
    hs.push_back(11);
    u24(hs, der.size() + 6);
    u24(hs, der.size() + 3);
    u24(hs, der.size());
    hs.insert(hs.end(), der.begin(), der.end());
    hs.insert(hs.end(), {14, 0, 0, 0});
    reply_ = {22, 3, 3};
    u16(reply_, hs.size());
    reply_.insert(reply_.end(), hs.begin(), hs.end());
    lfd_ = tls::peers::listen_loopback(port_);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept(lfd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        char buf[4096];
        (void)::recv(c, buf, sizeof buf, 0);
        (void)::send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
        ::usleep(50 * 1000);
        ::close(c);
      }
    });
  }
  ~Rc4OnlyServer() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    thread_.join();
    ::close(lfd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  std::vector<std::uint8_t> reply_;
  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(CertificatePeer, LegacyOnlyServerCertificateFromHandBuiltHello) {
  FILE* f = std::fopen(pki("valid.pem").c_str(), "r");
  ASSERT_NE(f, nullptr);
  tls::X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  unsigned char* der = nullptr;
  int len = i2d_X509(cert.get(), &der);
  ASSERT_GT(len, 0);
  std::vector<std::uint8_t> bytes(der, der + len);
  OPENSSL_free(der);
  Rc4OnlyServer s(bytes);
  // This server does not even hold the key: it replays a public chain. A
  // chain read from a hand-built hello is reported, but no handshake proved
  // possession of its key, so trust (CA file, system or pin) cannot pass.
  auto r = run_check("certificate", ca_expect(), s.port());
  EXPECT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("no handshake proved"), std::string::npos) << r.verdict.message;
  auto pinned = run_check("certificate", pin_expect(info_of("valid.pem").sha256), s.port());
  EXPECT_NE(pinned.verdict.status, Status::kPass) << pinned.verdict.message;
  ASSERT_FALSE(pinned.obs->unknowns.empty());
  EXPECT_NE(pinned.obs->unknowns[0].find("no handshake proved"), std::string::npos);
  ASSERT_EQ(cobs(r).chain.size(), 1u);
  EXPECT_EQ(cobs(r).chain[0].subject, "CN=valid.test");
  EXPECT_EQ(cobs(r).cipher, "TLS_RSA_WITH_RC4_128_SHA");
  ASSERT_FALSE(r.obs->warnings.empty());
  // And the tls probe sees the RC4 suite through the same hand-built path.
  auto t = run_check("tls", R"({"expect": {"forbid_ciphers": ["rc4"]}})", s.port());
  EXPECT_EQ(t.verdict.status, Status::kFail) << t.verdict.message;
  EXPECT_NE(t.verdict.message.find("TLS_RSA_WITH_RC4_128_SHA (rc4"), std::string::npos);
}

}  // namespace
}  // namespace vantage::testing
