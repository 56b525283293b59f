#pragma once
// A pure parser over the bytes a server sent in answer to a hand-built
// ClientHello. It never throws and never trusts a length: every call looks
// at everything received so far and says need-more, ServerHello, alert or
// garbage.
//
// TLS record (RFC 5246 6.2.1; SSLv3 is identical):
//
//    0        1        2        3        4        5
//   +--------+--------+--------+--------+--------+------ ... ------+
//   |  type  | major  | minor  |  length (u16)   | fragment        |
//   +--------+--------+--------+--------+--------+------ ... ------+
//   type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data
//   major = 3 for SSLv3 .. TLS 1.3; length <= 2^14 + 2048 (else garbage)
//
// Alert fragment (plaintext, before keys are in use):
//
//   +--------+-------------+
//   | level  | description |   level 1 warning, 2 fatal
//   +--------+-------------+
//
// Handshake messages form one byte stream carried in consecutive handshake
// records: a message may be split across records, and a record may carry
// several messages.
//
//    0        1        2        3
//   +--------+--------+--------+--------+------ ... ------+
//   | msg    |      length (u24)        | body            |
//   +--------+--------+--------+--------+------ ... ------+
//   msg: 2 server_hello, 11 certificate, 12 server_key_exchange, 14 server_hello_done
//
// ServerHello body:
//
//   +--------+--------+----- 32 -----+-----+-- 0..32 --+--------+--------+--------+------------+
//   | legacy_version  |   random     | len | session_id|  cipher_suite   | compr. | extensions |
//   +--------+--------+--------------+-----+-----------+--------+--------+--------+------------+
//   extensions (optional): u16 total, then { u16 type | u16 len | data }*
//     supported_versions (43): u16 selected version (TLS 1.3 is 0x0304 here, legacy_version 0x0303)
//     key_share (51):          u16 group [+ key]; a HelloRetryRequest carries only the group
//   HelloRetryRequest = a ServerHello whose random is SHA-256("HelloRetryRequest").
//
// ServerKeyExchange for (EC)DHE, the part read here (RFC 5246 7.4.3, RFC 8422 5.4):
//
//   DHE:    | u16 len | dh_p | u16 len | dh_g | u16 len | dh_Ys | signature...
//   ECDHE:  | curve_type = 3 (named_curve) | u16 named_group | u8 len | point | signature...
//   *_PSK variants first carry | u16 len | psk_identity_hint |.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vantage::tls {

struct ServerHello {
  std::uint16_t legacy_version = 0;  // the ServerHello's version field
  std::uint16_t version = 0;         // negotiated: supported_versions when present
  std::uint16_t suite = 0;
  std::uint8_t compression = 0;
  bool hello_retry_request = false;
  std::optional<std::uint16_t> key_share_group;  // TLS 1.3 ServerHello / HRR
  // From the rest of the first flight (TLS <= 1.2), when present.
  bool flight_complete = false;  // ServerHelloDone seen, or nothing more expected (1.3/HRR)
  std::optional<int> dh_bits;    // ServerKeyExchange dh_p size in bits
  std::optional<std::uint16_t> ecdh_group;
  std::vector<std::vector<std::uint8_t>> certificates;  // DER, leaf first (TLS <= 1.2 only)
};

struct Alert {
  std::uint8_t level = 0;
  std::uint8_t description = 0;
};
// "handshake_failure", "protocol_version", ... or "alert_NN".
std::string alert_name(std::uint8_t description);

struct ParseResult {
  enum class Kind { kNeedMore, kServerHello, kAlert, kGarbage };
  Kind kind = Kind::kNeedMore;
  ServerHello hello;   // kServerHello
  Alert alert;         // kAlert
  std::string reason;  // kGarbage: what was wrong
};
const char* to_string(ParseResult::Kind k);

// Everything the server sent so far. A ServerHello is returned as soon as it
// is complete; keep reading while !hello.flight_complete to learn the DH group
// and certificate (until a deadline or a byte cap: a partial flight is fine).
ParseResult parse_server_response(std::span<const std::uint8_t> bytes);

// Caps the parser enforces (and tests exercise).
inline constexpr std::size_t kMaxRecordLength = 16384 + 2048;
inline constexpr std::size_t kMaxHandshakeMessage = 1u << 18;  // 256 KiB: a huge chain, not 16 MiB

}  // namespace vantage::tls
