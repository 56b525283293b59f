// The scanner's ServerHello/Certificate path: exchange_hello sends a real
// ClientHello over one end of a socketpair, the fuzzer's bytes come back as
// the server's answer (then the server closes), and every certificate the
// flight carries goes through the X.509 path the probes use.
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include "core/unique_fd.hpp"
#include "tls/certificate.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/client_hello.hpp"
#include "tls/hello_exchange.hpp"
#include "tls/openssl.hpp"

using namespace vantage;

namespace {
// The server side: answers the fuzzer's bytes, then ends its half (the fd
// stays open, so the client's hello is still accepted: a FIN, not a reset).
void serve(const UniqueFd& fd, std::span<const std::uint8_t> answer) {
  std::size_t off = 0;
  while (off < answer.size()) {
    const ssize_t n = ::send(fd.get(), answer.data() + off, answer.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
  ::shutdown(fd.get(), SHUT_WR);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 60000) return -1;  // fits the socket buffer: the server never blocks
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return 0;
  UniqueFd client(sv[0]), server(sv[1]);
  tls::HelloOptions ho;
  ho.version = tls::Version::kTls12;
  ho.suites = tls::legacy_suite_codes();
  ho.server_name = "router.example";
  const auto hello = tls::build_client_hello(ho);
  serve(server, {data, size});
  const auto o = tls::exchange_hello(client.get(), hello, Deadline::in(std::chrono::seconds(2)));
  for (const auto& der : o.hello.certificates) {
    if (auto x = tls::x509_from_der(der.data(), der.size())) {
      const auto info = tls::describe(x.get(), std::time_t{1700000000});
      (void)tls::match_name(x.get(), "router.example");
      (void)tls::pin_matches(info, "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }
  }
  (void)tls::to_string(o.kind);
  return 0;
}
