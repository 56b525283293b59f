#include "tls/server_response.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "tls/cipher_suites.hpp"

namespace vantage::tls {
namespace {

// SHA-256("HelloRetryRequest"), RFC 8446 4.1.3.
constexpr std::array<std::uint8_t, 32> kHrrRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

// A bounds-checked cursor: every read reports failure instead of overrunning.
class Cursor {
 public:
  explicit Cursor(std::span<const std::uint8_t> s) : s_(s) {}
  std::size_t left() const { return s_.size() - pos_; }
  bool u8(std::uint8_t& v) {
    if (left() < 1) return false;
    v = s_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& v) {
    if (left() < 2) return false;
    v = static_cast<std::uint16_t>(s_[pos_] << 8 | s_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u24(std::uint32_t& v) {
    if (left() < 3) return false;
    v = static_cast<std::uint32_t>(s_[pos_] << 16 | s_[pos_ + 1] << 8 | s_[pos_ + 2]);
    pos_ += 3;
    return true;
  }
  bool take(std::size_t n, std::span<const std::uint8_t>& out) {
    if (left() < n) return false;
    out = s_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::span<const std::uint8_t> s_;
  std::size_t pos_ = 0;
};

std::string hex_prefix(std::span<const std::uint8_t> b) {
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(b.size(), 8); ++i)
    out += fmt::format("{:02x}", b[i]);
  return out;
}

// Returns an error text, or empty on success.
std::string parse_server_hello(std::span<const std::uint8_t> body, ServerHello& sh) {
  Cursor c(body);
  std::span<const std::uint8_t> random, sid;
  std::uint8_t sid_len = 0;
  if (!c.u16(sh.legacy_version) || !c.take(32, random) || !c.u8(sid_len))
    return "ServerHello too short";
  if (sid_len > 32) return fmt::format("ServerHello session_id length {}", sid_len);
  if (!c.take(sid_len, sid) || !c.u16(sh.suite) || !c.u8(sh.compression))
    return "ServerHello too short";
  if ((sh.legacy_version >> 8) != 3)
    return fmt::format("ServerHello version 0x{:04x}", sh.legacy_version);
  sh.version = sh.legacy_version;
  sh.hello_retry_request = std::equal(random.begin(), random.end(), kHrrRandom.begin());
  if (c.left() == 0) return {};  // no extensions (SSLv3, older servers)
  std::uint16_t total = 0;
  std::span<const std::uint8_t> exts;
  if (!c.u16(total) || !c.take(total, exts)) return "ServerHello extensions overrun";
  Cursor e(exts);
  while (e.left() > 0) {
    std::uint16_t type = 0, len = 0;
    std::span<const std::uint8_t> data;
    if (!e.u16(type) || !e.u16(len) || !e.take(len, data)) return "ServerHello extension overrun";
    Cursor d(data);
    if (type == 43) {  // supported_versions
      std::uint16_t v = 0;
      if (!d.u16(v)) return "bad supported_versions";
      sh.version = v;
    } else if (type == 51) {  // key_share
      std::uint16_t g = 0;
      if (!d.u16(g)) return "bad key_share";
      sh.key_share_group = g;
    }
  }
  return {};
}

void parse_certificates(std::span<const std::uint8_t> body, ServerHello& sh) {
  Cursor c(body);
  std::uint32_t total = 0;
  std::span<const std::uint8_t> list;
  if (!c.u24(total) || !c.take(total, list)) return;
  Cursor l(list);
  std::vector<std::vector<std::uint8_t>> certs;
  while (l.left() > 0) {
    std::uint32_t len = 0;
    std::span<const std::uint8_t> der;
    if (!l.u24(len) || !l.take(len, der)) return;  // malformed: keep none
    certs.emplace_back(der.begin(), der.end());
  }
  sh.certificates = std::move(certs);
}

void parse_key_exchange(std::span<const std::uint8_t> body, ServerHello& sh) {
  const CipherSuite* suite = find_suite(sh.suite);
  if (!suite) return;
  Cursor c(body);
  if (std::string_view(suite->auth) == "PSK") {
    std::uint16_t hint = 0;
    std::span<const std::uint8_t> skip;
    if (!c.u16(hint) || !c.take(hint, skip)) return;
  }
  if (suite->ffdhe_kx()) {
    std::uint16_t plen = 0;
    std::span<const std::uint8_t> p;
    if (!c.u16(plen) || !c.take(plen, p)) return;
    std::size_t i = 0;
    while (i < p.size() && p[i] == 0) ++i;
    if (i == p.size()) {
      sh.dh_bits = 0;
      return;
    }
    int bits = static_cast<int>((p.size() - i) * 8);
    for (std::uint8_t top = p[i]; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1))
      --bits;
    sh.dh_bits = bits;
  } else if (suite->ecdhe_kx()) {
    std::uint8_t curve_type = 0;
    std::uint16_t group = 0;
    if (c.u8(curve_type) && curve_type == 3 && c.u16(group)) sh.ecdh_group = group;
  }
}

}  // namespace

const char* to_string(ParseResult::Kind k) {
  switch (k) {
    case ParseResult::Kind::kNeedMore: return "need-more";
    case ParseResult::Kind::kServerHello: return "server-hello";
    case ParseResult::Kind::kAlert: return "alert";
    case ParseResult::Kind::kGarbage: return "garbage";
  }
  return "?";
}

std::string alert_name(std::uint8_t d) {
  switch (d) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
  }
  return fmt::format("alert_{}", d);
}

ParseResult parse_server_response(std::span<const std::uint8_t> bytes) {
  ParseResult r;
  auto garbage = [&](std::string why) {
    ParseResult g;
    g.kind = ParseResult::Kind::kGarbage;
    g.reason = std::move(why);
    return g;
  };
  ServerHello sh;
  bool have_hello = false;
  auto hello_result = [&] {
    ParseResult h;
    h.kind = ParseResult::Kind::kServerHello;
    h.hello = sh;
    return h;
  };
  std::vector<std::uint8_t> hs;  // handshake byte stream, reassembled across records
  std::size_t hs_pos = 0;
  std::size_t pos = 0;
  while (bytes.size() - pos >= 5) {
    const std::uint8_t type = bytes[pos];
    const std::uint8_t major = bytes[pos + 1];
    const std::size_t len = static_cast<std::size_t>(bytes[pos + 3] << 8 | bytes[pos + 4]);
    if (type < 20 || type > 24)
      return have_hello ? (sh.flight_complete = true, hello_result())
                        : garbage(fmt::format("not a TLS record (starts {})",
                                              hex_prefix(bytes.subspan(pos))));
    if (major != 3)
      return have_hello
                 ? (sh.flight_complete = true, hello_result())
                 : garbage(fmt::format("record version 0x{:02x}{:02x}", major, bytes[pos + 2]));
    if (len > kMaxRecordLength) {
      if (have_hello) {
        sh.flight_complete = true;
        return hello_result();
      }
      return garbage(fmt::format("absurd record length {}", len));
    }
    if (bytes.size() - pos - 5 < len) break;  // record not complete yet
    const auto frag = bytes.subspan(pos + 5, len);
    pos += 5 + len;
    if (type == 21) {  // alert
      if (have_hello) {
        sh.flight_complete = true;
        return hello_result();
      }
      if (len < 2) return garbage("short alert record");
      r.kind = ParseResult::Kind::kAlert;
      r.alert = {frag[0], frag[1]};
      return r;
    }
    if (type != 22) {  // ChangeCipherSpec / application data / heartbeat
      if (have_hello) {
        sh.flight_complete = true;
        return hello_result();
      }
      return garbage(fmt::format("record type {} before ServerHello", type));
    }
    hs.insert(hs.end(), frag.begin(), frag.end());
    while (hs.size() - hs_pos >= 4) {
      const std::uint8_t msg = hs[hs_pos];
      const std::size_t mlen =
          static_cast<std::size_t>(hs[hs_pos + 1] << 16 | hs[hs_pos + 2] << 8 | hs[hs_pos + 3]);
      if (mlen > kMaxHandshakeMessage) {
        if (have_hello) {
          sh.flight_complete = true;
          return hello_result();
        }
        return garbage(fmt::format("absurd handshake length {}", mlen));
      }
      if (hs.size() - hs_pos - 4 < mlen) break;  // message continues in the next record
      std::span<const std::uint8_t> body(hs.data() + hs_pos + 4, mlen);
      hs_pos += 4 + mlen;
      if (!have_hello) {
        if (msg == 0 && mlen == 0) continue;  // HelloRequest: ignore
        if (msg != 2) return garbage(fmt::format("handshake message {} before ServerHello", msg));
        if (std::string err = parse_server_hello(body, sh); !err.empty()) return garbage(err);
        have_hello = true;
        if (sh.hello_retry_request || sh.version >= 0x0304) {
          sh.flight_complete = true;  // the rest of a TLS 1.3 flight is encrypted
          return hello_result();
        }
        continue;
      }
      switch (msg) {
        case 11: parse_certificates(body, sh); break;
        case 12: parse_key_exchange(body, sh); break;
        case 14: sh.flight_complete = true; return hello_result();
        default: break;  // CertificateRequest, CertificateStatus, ...
      }
    }
  }
  if (have_hello) return hello_result();
  // An incomplete first record: reject early what can never become TLS.
  if (bytes.size() - pos > 0) {
    const std::uint8_t type = bytes[pos];
    if (type < 20 || type > 24)
      return garbage(fmt::format("not a TLS record (starts {})", hex_prefix(bytes.subspan(pos))));
    if (bytes.size() - pos >= 2 && bytes[pos + 1] != 3)
      return garbage(fmt::format("record version 0x{:02x}..", bytes[pos + 1]));
    if (bytes.size() - pos >= 5) {
      const std::size_t len = static_cast<std::size_t>(bytes[pos + 3] << 8 | bytes[pos + 4]);
      if (len > kMaxRecordLength) return garbage(fmt::format("absurd record length {}", len));
    }
  }
  return r;  // need more
}

}  // namespace vantage::tls
