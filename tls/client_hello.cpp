#include "tls/client_hello.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/rand.h>

#include "core/error.hpp"

namespace vantage::tls {
namespace {

constexpr std::uint16_t kGroups[] = {
    0x001d,                                  // x25519
    0x0017, 0x0018, 0x0019,                  // secp256r1, secp384r1, secp521r1
    0x001e,                                  // x448
    0x0100, 0x0101, 0x0102, 0x0103, 0x0104,  // ffdhe2048..8192
    0x0016, 0x0015, 0x0013, 0x0012,          // secp256k1, secp224r1, secp192r1, secp192k1
};

// Broad on purpose: a hello must not be refused for lack of a hash the
// server insists on (legacy SHA-1 included).
constexpr std::uint16_t kSigAlgs[] = {
    0x0403, 0x0503, 0x0603,  // ecdsa_secp256r1_sha256 .. secp521r1_sha512
    0x0807, 0x0808,          // ed25519, ed448
    0x0804, 0x0805, 0x0806,  // rsa_pss_rsae_sha256..512
    0x0809, 0x080a, 0x080b,  // rsa_pss_pss_sha256..512
    0x0401, 0x0501, 0x0601,  // rsa_pkcs1_sha256..512
    0x0303, 0x0301, 0x0302,  // sha224 ecdsa/rsa/dsa
    0x0203, 0x0201, 0x0202,  // sha1 ecdsa/rsa/dsa
    0x0402, 0x0502, 0x0602,  // dsa sha256..512
};

class Writer {
 public:
  void u8(std::uint8_t v) { b_.push_back(v); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v >> 8));
    u8(static_cast<std::uint8_t>(v));
  }
  void bytes(std::span<const std::uint8_t> s) { b_.insert(b_.end(), s.begin(), s.end()); }
  // Opens a length field of `width` bytes; close() patches it.
  std::size_t open(int width) {
    std::size_t at = b_.size();
    for (int i = 0; i < width; ++i) u8(0);
    return at;
  }
  void close(std::size_t at, int width) {
    std::size_t len = b_.size() - at - static_cast<std::size_t>(width);
    for (int i = width - 1; i >= 0; --i) {
      b_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(len);
      len >>= 8;
    }
  }
  std::vector<std::uint8_t>& out() { return b_; }

 private:
  std::vector<std::uint8_t> b_;
};

bool is_ip_literal(const std::string& s) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, s.c_str(), &a4) == 1 || inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

void extensions(Writer& w, const HelloOptions& opt) {
  const bool tls13 = opt.version == Version::kTls13;
  std::size_t all = w.open(2);
  if (!opt.server_name.empty() && !is_ip_literal(opt.server_name)) {
    w.u16(0x0000);  // server_name
    std::size_t ext = w.open(2);
    std::size_t list = w.open(2);
    w.u8(0);  // host_name
    w.u16(static_cast<std::uint16_t>(opt.server_name.size()));
    w.bytes(
        {reinterpret_cast<const std::uint8_t*>(opt.server_name.data()), opt.server_name.size()});
    w.close(list, 2);
    w.close(ext, 2);
  }
  {
    w.u16(0x000a);  // supported_groups
    std::size_t ext = w.open(2);
    std::size_t list = w.open(2);
    for (std::uint16_t g : kGroups) w.u16(g);
    w.close(list, 2);
    w.close(ext, 2);
  }
  {
    w.u16(0x000b);  // ec_point_formats: uncompressed
    w.u16(2);
    w.u8(1);
    w.u8(0);
  }
  if (opt.version >= Version::kTls12) {
    w.u16(0x000d);  // signature_algorithms
    std::size_t ext = w.open(2);
    std::size_t list = w.open(2);
    for (std::uint16_t s : kSigAlgs) w.u16(s);
    w.close(list, 2);
    w.close(ext, 2);
  }
  if (tls13) {
    w.u16(0x002b);  // supported_versions
    w.u16(3);
    w.u8(2);
    w.u16(0x0304);
    w.u16(0x002d);  // psk_key_exchange_modes: psk_dhe_ke (some servers insist)
    w.u16(2);
    w.u8(1);
    w.u8(1);
    w.u16(0x0033);  // key_share
    std::size_t ext = w.open(2);
    std::size_t list = w.open(2);
    w.u16(0x001d);
    w.u16(32);
    w.bytes(opt.key_share);
    w.close(list, 2);
    w.close(ext, 2);
  }
  w.close(all, 2);
}

}  // namespace

std::span<const std::uint16_t> offered_groups() {
  return kGroups;
}

std::string group_name(std::uint16_t g) {
  switch (g) {
    case 0x0012: return "secp192k1";
    case 0x0013: return "secp192r1";
    case 0x0015: return "secp224r1";
    case 0x0016: return "secp256k1";
    case 0x0017: return "secp256r1";
    case 0x0018: return "secp384r1";
    case 0x0019: return "secp521r1";
    case 0x001d: return "x25519";
    case 0x001e: return "x448";
    case 0x0100: return "ffdhe2048";
    case 0x0101: return "ffdhe3072";
    case 0x0102: return "ffdhe4096";
    case 0x0103: return "ffdhe6144";
    case 0x0104: return "ffdhe8192";
    case 0x11ec: return "X25519MLKEM768";
  }
  return fmt::format("0x{:04x}", g);
}

void randomize(HelloOptions& opt) {
  if (RAND_bytes(opt.random.data(), 32) != 1 || RAND_bytes(opt.session_id.data(), 32) != 1 ||
      RAND_bytes(opt.key_share.data(), 32) != 1)
    throw Error("OpenSSL RAND_bytes failed");
}

std::vector<std::uint8_t> build_client_hello(const HelloOptions& opt) {
  const bool ssl3 = opt.version == Version::kSsl3;
  const bool tls13 = opt.version == Version::kTls13;
  Writer w;
  w.u8(22);  // handshake record
  w.u16(ssl3 ? 0x0300 : 0x0301);
  std::size_t rec = w.open(2);
  w.u8(1);  // client_hello
  std::size_t hs = w.open(3);
  w.u16(tls13 ? 0x0303 : wire(opt.version));
  w.bytes(opt.random);
  if (tls13) {
    w.u8(32);
    w.bytes(opt.session_id);
  } else {
    w.u8(0);
  }
  std::size_t suites = w.open(2);
  for (std::uint16_t s : opt.suites) w.u16(s);
  if (opt.renegotiation_scsv && !tls13) w.u16(0x00ff);
  w.close(suites, 2);
  w.u8(1);  // one compression method: null
  w.u8(0);
  if (!ssl3) extensions(w, opt);
  w.close(hs, 3);
  w.close(rec, 2);
  return std::move(w.out());
}

}  // namespace vantage::tls
