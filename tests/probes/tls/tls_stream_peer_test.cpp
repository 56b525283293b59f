// tls::TlsStream against `openssl s_server`: an anonymous (ADH) session is
// never "verified", and asking for verification never negotiates one.
#include <gtest/gtest.h>

#include "tests/probes/peers/pki.hpp"
#include "tls/tls_stream.hpp"

namespace vantage::testing {
namespace {

UniqueFd connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    throw std::runtime_error("connect");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return UniqueFd(fd);
}

// What RouterOS api-ssl with certificate=none (or a MITM) offers.
std::unique_ptr<SServer> anonymous_only() {
  return std::make_unique<SServer>(
      std::vector<std::string>{"-nocert", "-cipher", "ADH:@SECLEVEL=0", "-no_tls1_3"});
}

TEST(TlsStreamPeer, AnonymousSessionIsNeverVerified) {
  auto s = anonymous_only();
  tls::TlsOptions to;
  to.cipher_list = "aNULL:@SECLEVEL=0";
  tls::TlsStream ts(connect_to(s->port()), to);
  ASSERT_TRUE(ts.handshake(Deadline::in(std::chrono::seconds(5))).ok());
  EXPECT_TRUE(ts.peer_chain().empty());
  EXPECT_FALSE(ts.verified());  // OpenSSL says X509_V_OK: nothing was verified
}

TEST(TlsStreamPeer, VerifyWithACipherListAllowingAnonymousNeverGoesAnonymous) {
  auto s = anonymous_only();
  tls::TlsOptions to;
  to.verify = true;
  to.ca_file = pki("ca.pem");
  to.server_name = "localhost";
  to.cipher_list = "ALL:@SECLEVEL=0";  // ALL includes ADH
  tls::TlsStream ts(connect_to(s->port()), to);
  auto hr = ts.handshake(Deadline::in(std::chrono::seconds(5)));
  EXPECT_FALSE(hr.ok() && ts.verified()) << ts.cipher();
  EXPECT_FALSE(hr.ok()) << "negotiated " << ts.cipher() << " under verify";
  // The same options against an authenticated server still verify.
  SServer good({"-cert", pki("valid.pem"), "-key", pki("valid.key")});
  tls::TlsStream ok(connect_to(good.port()), to);
  ASSERT_TRUE(ok.handshake(Deadline::in(std::chrono::seconds(5))).ok());
  EXPECT_TRUE(ok.verified()) << ok.verify_error();
}

}  // namespace
}  // namespace vantage::testing
