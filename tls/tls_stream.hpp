#pragma once
// An OpenSSL client session over a connected, non-blocking socket, as a
// net::Stream with deadlines: what the app probes (RouterOS API-SSL, REST over
// HTTPS) and the certificate probe speak through.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "net/stream.hpp"
#include "tls/openssl.hpp"
#include "tls/version.hpp"

namespace vantage::tls {

struct TlsOptions {
  std::string server_name;  // SNI (skipped for IP literals) and, with verify, the name checked
  bool verify = false;      // verify chain and name during the handshake
  std::string ca_file;      // trust anchors for verify; empty: the system store
  // TLS <= 1.2, OpenSSL syntax; "ADH:@SECLEVEL=0" for certificate=none. With
  // verify, anonymous suites (aNULL) are always stripped from it: they cannot
  // be verified. A list that leaves only anonymous suites is an Error.
  std::string cipher_list;
  std::string ciphersuites;            // TLS 1.3, OpenSSL syntax; empty: library default
  std::optional<Version> min_version;  // default TLS 1.0 (OpenSSL cannot do SSLv3)
  std::optional<Version> max_version;
};

class TlsStream final : public net::Stream {
 public:
  // Takes ownership of a connected non-blocking socket. Throws vantage::Error
  // for options OpenSSL rejects (cipher string, unreadable CA file).
  TlsStream(UniqueFd fd, const TlsOptions& opt);
  TlsStream(TlsStream&&) noexcept;
  TlsStream& operator=(TlsStream&&) noexcept;
  ~TlsStream() override;

  // kOk when the handshake completed; otherwise a terminal status whose
  // detail names the alert or the OpenSSL reason.
  net::IoResult handshake(Deadline dl);
  net::IoResult read_some(std::span<std::uint8_t> buf, Deadline dl) override;
  net::IoResult write_all(std::span<const std::uint8_t> buf, Deadline dl) override;
  int fd() const override;

  // After a completed handshake.
  std::string version() const;  // "TLSv1.2"
  std::string cipher() const;   // OpenSSL name, "ECDHE-RSA-AES128-GCM-SHA256"
  std::uint16_t cipher_code() const;
  std::vector<X509Ptr> peer_chain() const;  // as sent, leaf first; empty for anonymous suites
  // With verify on: a peer certificate was presented and its chain and name
  // verified. Never true for an anonymous session or with verify off.
  bool verified() const;
  std::string verify_error() const;
  // Description code of an alert the peer sent during the session, if any.
  std::optional<std::uint8_t> peer_alert() const;

 private:
  struct State;
  std::unique_ptr<State> st_;
};

}  // namespace vantage::tls
