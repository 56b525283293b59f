#include "tls/tls_stream.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>

#include "core/error.hpp"
#include "tls/server_response.hpp"
#include "tls/trust_cache.hpp"

namespace vantage::tls {

struct TlsStream::State {
  UniqueFd fd;
  SslCtxPtr ctx;
  SslPtr ssl;
  std::optional<std::uint8_t> alert;
  bool verify = false;
};

namespace {

int proto(Version v) {
  switch (v) {
    case Version::kSsl3: return SSL3_VERSION;
    case Version::kTls10: return TLS1_VERSION;
    case Version::kTls11: return TLS1_1_VERSION;
    case Version::kTls12: return TLS1_2_VERSION;
    case Version::kTls13: return TLS1_3_VERSION;
  }
  return 0;
}

void on_info(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_READ_ALERT) == 0) return;
  auto* st = static_cast<std::optional<std::uint8_t>*>(SSL_get_app_data(ssl));
  if (st && !st->has_value()) *st = static_cast<std::uint8_t>(ret & 0xff);
}

// Waits for the direction OpenSSL asked for; false on deadline.
bool wait_for(int fd, int ssl_err, Deadline dl) {
  pollfd p{fd, static_cast<short>(ssl_err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
  for (;;) {
    int rc = ::poll(&p, 1, dl.poll_ms());
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the next SSL call report the error
  }
}

bool is_ip(const std::string& s) {
  in_addr a4{};
  in6_addr a6{};
  return inet_pton(AF_INET, s.c_str(), &a4) == 1 || inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

// Everything of `opt` that lives in the SSL_CTX (not the per-connection name).
SslCtxPtr build_ctx(const TlsOptions& opt) {
  SslCtxPtr owned(SSL_CTX_new(TLS_client_method()));
  if (!owned) throw Error("SSL_CTX_new failed: " + openssl_errors());
  SSL_CTX* ctx = owned.get();
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  // A connection waiting on its router holds no 34 kB of idle record
  // buffers: a fleet run keeps a thousand of them open at once.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_min_proto_version(ctx, proto(opt.min_version.value_or(Version::kTls10)));
  if (opt.max_version) SSL_CTX_set_max_proto_version(ctx, proto(*opt.max_version));
  // An anonymous suite cannot be verified: under verify it would only let a
  // man in the middle in, so it is removed from whatever list was asked for.
  const std::string ciphers =
      opt.verify && !opt.cipher_list.empty() ? opt.cipher_list + ":!aNULL" : opt.cipher_list;
  if (!ciphers.empty() && SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1) {
    const std::string why = openssl_errors();
    if (opt.verify && SSL_CTX_set_cipher_list(ctx, opt.cipher_list.c_str()) == 1)
      throw Error(fmt::format(
          "TLS cipher string '{}' leaves only anonymous suites, which cannot be verified against "
          "ca_file: list authenticated suites (e.g. 'DEFAULT:@SECLEVEL=0'), or drop ca_file to "
          "talk to a router with certificate=none",
          opt.cipher_list));
    throw Error(fmt::format("bad TLS cipher string '{}': {}", opt.cipher_list, why));
  }
  if (!opt.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, opt.ciphersuites.c_str()) != 1)
    throw Error(
        fmt::format("bad TLS 1.3 ciphersuites '{}': {}", opt.ciphersuites, openssl_errors()));
  if (opt.verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    int ok = opt.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx)
                                 : SSL_CTX_load_verify_locations(ctx, opt.ca_file.c_str(), nullptr);
    if (ok != 1)
      throw Error(fmt::format("cannot load CA file '{}': {}", opt.ca_file, openssl_errors()));
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return owned;
}

}  // namespace

TlsStream::TlsStream(UniqueFd fd, const TlsOptions& opt) : st_(std::make_unique<State>()) {
  st_->fd = std::move(fd);
  const std::string key =
      fmt::format("{}|{}|{}|{}|{}", static_cast<int>(opt.min_version.value_or(Version::kTls10)),
                  opt.max_version ? static_cast<int>(*opt.max_version) : -1, opt.verify,
                  opt.cipher_list, opt.ciphersuites);
  st_->ctx = shared_client_ctx(key, opt.verify ? opt.ca_file : "", [&] { return build_ctx(opt); });
  SSL_CTX* ctx = st_->ctx.get();
  st_->verify = opt.verify;
  st_->ssl.reset(SSL_new(ctx));
  if (!st_->ssl) throw Error("SSL_new failed: " + openssl_errors());
  SSL* ssl = st_->ssl.get();
  SSL_set_fd(ssl, st_->fd.get());
  SSL_set_app_data(ssl, &st_->alert);
  SSL_set_info_callback(ssl, on_info);
  if (!opt.server_name.empty()) {
    if (!is_ip(opt.server_name)) SSL_set_tlsext_host_name(ssl, opt.server_name.c_str());
    if (opt.verify) {
      X509_VERIFY_PARAM* vp = SSL_get0_param(ssl);
      X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (is_ip(opt.server_name))
        X509_VERIFY_PARAM_set1_ip_asc(vp, opt.server_name.c_str());
      else
        X509_VERIFY_PARAM_set1_host(vp, opt.server_name.c_str(), 0);
    }
  }
}

TlsStream::TlsStream(TlsStream&&) noexcept = default;
TlsStream& TlsStream::operator=(TlsStream&&) noexcept = default;
TlsStream::~TlsStream() = default;

int TlsStream::fd() const {
  return st_ ? st_->fd.get() : -1;
}

namespace {

// Maps a failed SSL call to a terminal IoResult.
net::IoResult failure(SSL* ssl, int rc, const std::optional<std::uint8_t>& alert) {
  net::IoResult r;
  int e = SSL_get_error(ssl, rc);
  int err = errno;
  unsigned long top = ERR_peek_error();
  std::string text = openssl_errors();
  if (e == SSL_ERROR_ZERO_RETURN) {
    r.status = net::IoResult::Status::kEof;
    r.detail = "peer closed the TLS session";
  } else if (e == SSL_ERROR_SYSCALL && (err == ECONNRESET || err == EPIPE)) {
    r.status = net::IoResult::Status::kReset;
    r.err = err;
    r.detail = "connection reset";
  } else if (e == SSL_ERROR_SYSCALL && top == 0) {
    r.status = net::IoResult::Status::kEof;
    r.detail = "peer closed the connection";
  } else {
    r.status = net::IoResult::Status::kError;
    r.err = err;
    r.detail = alert ? "peer sent alert " + alert_name(*alert) : text;
    if (r.detail.empty()) r.detail = fmt::format("TLS error {}", e);
  }
  return r;
}

}  // namespace

net::IoResult TlsStream::handshake(Deadline dl) {
  SSL* ssl = st_->ssl.get();
  for (;;) {
    ERR_clear_error();
    int rc = SSL_connect(ssl);
    if (rc == 1) return {};
    int e = SSL_get_error(ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(st_->fd.get(), e, dl))
        return {net::IoResult::Status::kTimeout, 0, 0, "TLS handshake timed out"};
      continue;
    }
    return failure(ssl, rc, st_->alert);
  }
}

net::IoResult TlsStream::read_some(std::span<std::uint8_t> buf, Deadline dl) {
  SSL* ssl = st_->ssl.get();
  for (;;) {
    ERR_clear_error();
    std::size_t n = 0;
    int rc = SSL_read_ex(ssl, buf.data(), buf.size(), &n);
    if (rc == 1) return {net::IoResult::Status::kOk, n, 0, {}};
    int e = SSL_get_error(ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(st_->fd.get(), e, dl))
        return {net::IoResult::Status::kTimeout, 0, 0, "read timed out"};
      continue;
    }
    return failure(ssl, rc, st_->alert);
  }
}

net::IoResult TlsStream::write_all(std::span<const std::uint8_t> buf, Deadline dl) {
  SSL* ssl = st_->ssl.get();
  std::size_t done = 0;
  while (done < buf.size()) {
    ERR_clear_error();
    std::size_t n = 0;
    int rc = SSL_write_ex(ssl, buf.data() + done, buf.size() - done, &n);
    if (rc == 1) {
      done += n;
      continue;
    }
    int e = SSL_get_error(ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(st_->fd.get(), e, dl))
        return {net::IoResult::Status::kTimeout, done, 0, "write timed out"};
      continue;
    }
    net::IoResult r = failure(ssl, rc, st_->alert);
    r.bytes = done;
    return r;
  }
  return {net::IoResult::Status::kOk, done, 0, {}};
}

std::string TlsStream::version() const {
  return SSL_get_version(st_->ssl.get());
}

std::string TlsStream::cipher() const {
  const SSL_CIPHER* c = SSL_get_current_cipher(st_->ssl.get());
  return c ? SSL_CIPHER_get_name(c) : "";
}

std::uint16_t TlsStream::cipher_code() const {
  const SSL_CIPHER* c = SSL_get_current_cipher(st_->ssl.get());
  return c ? SSL_CIPHER_get_protocol_id(c) : 0;
}

std::vector<X509Ptr> TlsStream::peer_chain() const {
  std::vector<X509Ptr> out;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(st_->ssl.get());
  if (!chain) return out;
  for (int i = 0; i < sk_X509_num(chain); ++i) out.push_back(share(sk_X509_value(chain, i)));
  return out;
}

bool TlsStream::verified() const {
  // X509_V_OK is also what OpenSSL reports when the peer sent no certificate
  // (an anonymous suite): verified means a certificate was presented and
  // verified, with verification asked for.
  const SSL* ssl = st_->ssl.get();
  return st_->verify && SSL_get0_peer_certificate(ssl) != nullptr &&
         SSL_get_verify_result(ssl) == X509_V_OK;
}

std::string TlsStream::verify_error() const {
  long v = SSL_get_verify_result(st_->ssl.get());
  return v == X509_V_OK ? "" : X509_verify_cert_error_string(v);
}

std::optional<std::uint8_t> TlsStream::peer_alert() const {
  return st_->alert;
}

}  // namespace vantage::tls
