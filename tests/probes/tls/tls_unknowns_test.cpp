// Sizes and certificates the tls probe never saw are unknowns, never passes:
// a DHE/ECDHE ServerHello whose flight ends before the ServerKeyExchange,
// and a policy that judges the certificate when no certificate was seen.
#include <gtest/gtest.h>

#include <fstream>

#include "probes/tls_probe.hpp"
#include "tests/probes/peers/pki.hpp"
#include "tests/probes/peers/tcp_front.hpp"
#include "tests/tls/hello_peer.hpp"

namespace vantage::testing {
namespace {

using results::Status;

std::string unknowns_of(const CheckRun& r) {
  std::string s;
  for (const auto& u : r.obs->unknowns) s += u + "; ";
  return s;
}

// A TLS 1.2 server that answers a hello offering DHE-RSA-AES128-GCM-SHA256
// (0x009E) or ECDHE-RSA-AES128-GCM-SHA256 (0xC02F) with a bare ServerHello
// for the first of them, then closes: a flight cut before the
// ServerKeyExchange. Anything else gets a fatal alert.
class PartialFlightServer {
 public:
  PartialFlightServer() {
    lfd_ = tls::peers::listen_loopback(port_);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept(lfd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        answer(c);
        ::close(c);
      }
    });
  }
  ~PartialFlightServer() {
    stop_ = true;
    ::shutdown(lfd_, SHUT_RDWR);
    thread_.join();
    ::close(lfd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  static void answer(int c) {
    timeval tv{2, 0};
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::vector<std::uint8_t> b;
    std::uint8_t chunk[4096];
    while (b.size() < 5 || b.size() < 5u + (b[3] << 8 | b[4])) {
      ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      b.insert(b.end(), chunk, chunk + n);
    }
    HelloView h = view_hello(b);
    std::uint16_t pick = 0;
    if (h.tls && h.client_version == 0x0303)
      for (auto s : h.suites)
        if (s == 0x009E || s == 0xC02F) {
          pick = s;
          break;
        }
    if (!pick) {
      const std::uint8_t alert[] = {
          21, 3, 3, 0, 2, 2, static_cast<std::uint8_t>(h.client_version == 0x0303 ? 40 : 70)};
      (void)::send(c, alert, sizeof alert, MSG_NOSIGNAL);
      return;
    }
    std::vector<std::uint8_t> r = {22, 3, 3, 0, 42, 2, 0, 0, 38, 3, 3};
    for (int i = 0; i < 32; ++i) r.push_back(static_cast<std::uint8_t>(i));
    r.insert(r.end(),
             {0, static_cast<std::uint8_t>(pick >> 8), static_cast<std::uint8_t>(pick), 0});
    (void)::send(c, r.data(), r.size(), MSG_NOSIGNAL);
  }

  int lfd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(TlsUnknowns, DhGroupNeverSeenIsNotAPass) {
  PartialFlightServer s;
  auto r = run_check("tls", R"({"expect": {"min_dh_bits": 2048}})", s.port());
  ASSERT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(unknowns_of(r).find("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: DH group size never seen"),
            std::string::npos)
      << unknowns_of(r);
}

TEST(TlsUnknowns, PolicyDhAndEcdhSizesNeverSeenAreNotAPass) {
  std::ofstream(pki("dh-policy.json"))
      << R"({"name": "dh-sizes", "versions": ["TLSv1.2"], "dh_param_size": 2048,
             "ecdh_param_size": 256})";
  PartialFlightServer s;
  auto r = run_check("tls", R"({"policy": "dh-policy.json"})", s.port());
  ASSERT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(unknowns_of(r).find("DH group size never seen"), std::string::npos) << unknowns_of(r);
  EXPECT_NE(unknowns_of(r).find("ECDH group never seen"), std::string::npos) << unknowns_of(r);
}

TEST(TlsUnknowns, PolicyCertificateChecksWithoutACertificateAreNotAPass) {
  // TLS 1.3 only (the certificate is encrypted), the three suites
  // mozilla-modern allows, and an RSA certificate it does not allow.
  SServer s({"-cert", pki("valid.pem"), "-key", pki("valid.key"), "-tls1_3", "-ciphersuites",
             "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"});
  auto seen = run_check("tls", R"({"policy": "mozilla-modern"})", s.port());
  ASSERT_EQ(seen.verdict.status, Status::kFail) << seen.verdict.message;
  EXPECT_NE(seen.verdict.message.find("certificate key type rsa"), std::string::npos);
  // The path resets OpenSSL's own hello: the certificate is never seen.
  TcpFront front(s.port(), [](const TcpFront::Conn& c) {
    return c.hello.openssl_client() ? TcpFront::Action::kReset : TcpFront::Action::kForward;
  });
  auto r = run_check("tls", R"({"policy": "mozilla-modern"})", front.port());
  ASSERT_EQ(r.verdict.status, Status::kError) << r.verdict.message;
  EXPECT_NE(unknowns_of(r).find("no certificate seen"), std::string::npos) << unknowns_of(r);
}

}  // namespace
}  // namespace vantage::testing
