#pragma once
// Hand-built ClientHello messages for SSLv3 .. TLS 1.3. The local OpenSSL
// cannot speak SSLv3 at all and TLS 1.0/1.1 only at security level 0, so
// vantage writes the first flight itself and never needs to finish the
// handshake (it stops at the ServerHello flight).
//
// Record + handshake framing of what is built (see server_response.hpp for
// the byte layouts):
//
//   record: 16 | 03 0x (0x0300 for SSLv3, 0x0301 otherwise) | length
//   hello:  01 | uint24 length | client_version | random[32]
//           | session_id<0..32> | cipher_suites<2..2^16-2>
//           | compression_methods<1..2^8-1> = {00} | extensions<0..2^16-1>
//
// Extensions (none for SSLv3): server_name (when a DNS name is given),
// supported_groups, ec_point_formats, signature_algorithms, and for TLS 1.3
// supported_versions {0304} and key_share {x25519: 32 bytes}. The x25519
// share only needs to look like a public key: we stop at the ServerHello.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tls/version.hpp"

namespace vantage::tls {

struct HelloOptions {
  Version version = Version::kTls12;
  std::vector<std::uint16_t> suites;  // offered in this order
  std::string server_name;            // SNI; ignored when empty or an IP literal
  std::array<std::uint8_t, 32> random{};
  std::array<std::uint8_t, 32> session_id{};  // sent for TLS 1.3 only (middlebox compat)
  std::array<std::uint8_t, 32> key_share{};   // x25519 share, TLS 1.3 only
  bool renegotiation_scsv = true;             // append TLS_EMPTY_RENEGOTIATION_INFO_SCSV
};

// Fills random, session_id and key_share from the OpenSSL CSPRNG.
void randomize(HelloOptions& opt);

// The complete record (header included), ready to write to the socket.
std::vector<std::uint8_t> build_client_hello(const HelloOptions& opt);

// Named groups offered in supported_groups (x25519 first).
std::span<const std::uint16_t> offered_groups();
// Name of a named group ("x25519", "secp256r1", "ffdhe2048"), or "0x001d".
std::string group_name(std::uint16_t group);

}  // namespace vantage::tls
