#include "capture/tls_witness.hpp"

#include <algorithm>
#include <cstring>

#include "tls/cipher_suites.hpp"
#include "tls/server_response.hpp"
#include "tls/version.hpp"

namespace vantage::capture {
namespace {

constexpr std::size_t kMaxRecord = 16384 + 2048;
constexpr std::size_t kMaxHelloBytes = 64 * 1024;
constexpr std::size_t kMaxAlerts = 32;
constexpr int kMaxResyncAttempts = 16;

bool is_grease(std::uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

// A bounds-checked reader over one message body.
struct Reader {
  std::span<const std::uint8_t> b;
  std::size_t pos = 0;
  bool ok = true;
  bool need(std::size_t n) {
    if (!ok || b.size() - pos < n) ok = false;
    return ok;
  }
  std::uint8_t u8() { return need(1) ? b[pos++] : 0; }
  std::uint16_t u16() {
    if (!need(2)) return 0;
    const auto v = static_cast<std::uint16_t>(b[pos] << 8 | b[pos + 1]);
    pos += 2;
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (!need(n)) return {};
    auto s = b.subspan(pos, n);
    pos += n;
    return s;
  }
  bool done() const { return pos >= b.size(); }
};

template <typename Fn>
void for_each_extension(Reader& r, Fn fn) {
  if (r.done()) return;
  Reader ext{r.take(r.u16())};
  while (ext.ok && !ext.done()) {
    const std::uint16_t type = ext.u16();
    Reader data{ext.take(ext.u16())};
    if (!ext.ok) return;
    fn(type, data);
  }
}

}  // namespace

std::string tls_version_name(std::uint16_t v) {
  return tls::version_name(v);
}
std::string tls_suite_name(std::uint16_t suite) {
  return tls::suite_name(suite);
}

std::string TlsAlertSeen::describe() const {
  if (encrypted) return "encrypted";
  return std::string(level == 1   ? "warning "
                     : level == 2 ? "fatal "
                                  : "level?") +
         tls::alert_name(description);
}

std::uint16_t TlsWitness::negotiated_version() const {
  if (!server_hello) return 0;
  return selected_version.value_or(server_legacy_version);
}

std::vector<std::uint16_t> TlsWitness::offered_versions() const {
  if (!client_supported_versions.empty()) return client_supported_versions;
  std::vector<std::uint16_t> out;
  for (std::uint16_t v = client_legacy_version; v >= 0x0300 && v <= 0x0303; --v) out.push_back(v);
  return out;
}

bool TlsRecordWalker::header_ok(const std::uint8_t* h) const {
  const std::size_t len = static_cast<std::size_t>(h[3] << 8 | h[4]);
  return h[0] >= 20 && h[0] <= 24 && h[1] == 3 && h[2] <= 4 && len >= 1 && len <= kMaxRecord;
}

void TlsRecordWalker::lose_sync(std::uint64_t packet) {
  ++desyncs_;
  if (desync_packet_ == 0) desync_packet_ = packet;
  resync_ = true;
  hdr_len_ = 0;
  body_left_ = 0;
  msg_hdr_len_ = 0;
  msg_left_ = 0;
  msg_.clear();
  alert_len_ = 0;
}

void TlsRecordWalker::on_gap() {
  if (verdict_ == Verdict::kNotTls) return;
  lose_sync(0);
}

void TlsRecordWalker::on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  if (verdict_ == Verdict::kNotTls || bytes.empty()) return;
  if (resync_) {
    // Only a segment start is a plausible record start after lost bytes.
    if (bytes.size() < 5 || !header_ok(bytes.data())) {
      if (++resync_attempts_ > kMaxResyncAttempts && verdict_ == Verdict::kUndecided)
        verdict_ = Verdict::kNotTls;
      return;
    }
    resync_ = false;
    resync_attempts_ = 0;
  }
  while (!bytes.empty()) {
    if (body_left_ == 0) {
      const std::size_t take = std::min(bytes.size(), 5 - hdr_len_);
      std::memcpy(hdr_ + hdr_len_, bytes.data(), take);
      hdr_len_ += take;
      bytes = bytes.subspan(take);
      if (hdr_len_ < 5) return;
      hdr_len_ = 0;
      if (!header_ok(hdr_) || (records_ == 0 && verdict_ == Verdict::kUndecided && desyncs_ == 0 &&
                               hdr_[0] != 22 && hdr_[0] != 21)) {
        if (verdict_ == Verdict::kUndecided && desyncs_ == 0) {
          verdict_ = Verdict::kNotTls;  // not a record stream from the first byte
          return;
        }
        lose_sync(packet);
        return;
      }
      start_record(packet);
      continue;
    }
    const std::size_t take = std::min(bytes.size(), body_left_);
    body(bytes.first(take), packet);
    body_left_ -= take;
    bytes = bytes.subspan(take);
    if (body_left_ == 0 && type_ == 20) encrypted_ = true;  // change_cipher_spec
  }
}

void TlsRecordWalker::start_record(std::uint64_t packet) {
  ++records_;
  verdict_ = Verdict::kTls;
  type_ = hdr_[0];
  body_left_ = static_cast<std::size_t>(hdr_[3] << 8 | hdr_[4]);
  alert_len_ = 0;
  if (type_ == 21 && (encrypted_ || body_left_ != 2) && w_->alerts.size() < kMaxAlerts) {
    TlsAlertSeen a;
    a.from_client = client_;
    a.encrypted = true;
    a.packet = packet;
    w_->alerts.push_back(a);
  }
}

void TlsRecordWalker::body(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  if (encrypted_) return;
  if (type_ == 22) {
    handshake_bytes(bytes, packet);
  } else if (type_ == 21 && body_left_ <= 2) {
    for (std::uint8_t b : bytes) {
      if (alert_len_ < 2) alert_[alert_len_++] = b;
    }
    if (alert_len_ == 2 && body_left_ == bytes.size() && w_->alerts.size() < kMaxAlerts) {
      TlsAlertSeen a;
      a.from_client = client_;
      a.level = alert_[0];
      a.description = alert_[1];
      a.packet = packet;
      w_->alerts.push_back(a);
    }
  }
}

void TlsRecordWalker::handshake_bytes(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  while (!bytes.empty()) {
    if (msg_left_ == 0 && msg_hdr_len_ < 4) {
      const std::size_t take = std::min(bytes.size(), 4 - msg_hdr_len_);
      std::memcpy(msg_hdr_ + msg_hdr_len_, bytes.data(), take);
      msg_hdr_len_ += take;
      bytes = bytes.subspan(take);
      if (msg_hdr_len_ < 4) return;
      msg_type_ = msg_hdr_[0];
      msg_left_ = static_cast<std::size_t>(msg_hdr_[1]) << 16 | msg_hdr_[2] << 8 | msg_hdr_[3];
      msg_keep_ = (msg_type_ == 1 || msg_type_ == 2) && msg_left_ <= kMaxHelloBytes;
      msg_.clear();
      if (msg_left_ == 0) {
        msg_hdr_len_ = 0;
        handshake_message(msg_type_, {}, packet);
      }
      continue;
    }
    const std::size_t take = std::min(bytes.size(), msg_left_);
    if (msg_keep_) msg_.insert(msg_.end(), bytes.begin(), bytes.begin() + static_cast<long>(take));
    msg_left_ -= take;
    bytes = bytes.subspan(take);
    if (msg_left_ == 0) {
      msg_hdr_len_ = 0;
      if (msg_keep_) handshake_message(msg_type_, msg_, packet);
      msg_.clear();
      msg_.shrink_to_fit();
    }
  }
}

void TlsRecordWalker::handshake_message(std::uint8_t type, std::span<const std::uint8_t> body,
                                        std::uint64_t packet) {
  Reader r{body};
  if (type == 1 && client_ && !w_->client_hello) {
    TlsWitness& w = *w_;
    w.client_legacy_version = r.u16();
    r.take(32);
    r.take(r.u8());
    Reader suites{r.take(r.u16())};
    r.take(r.u8());
    if (!r.ok) return;
    w.client_hello = true;
    w.client_hello_packet = packet;
    while (suites.ok && !suites.done()) {
      const std::uint16_t s = suites.u16();
      if (suites.ok && !is_grease(s)) w.offered_suites.push_back(s);
    }
    for_each_extension(r, [&](std::uint16_t ext, Reader& d) {
      if (ext == 43) {
        Reader list{d.take(d.u8())};
        while (list.ok && !list.done()) {
          const std::uint16_t v = list.u16();
          if (list.ok && !is_grease(v)) w.client_supported_versions.push_back(v);
        }
      } else if (ext == 0) {
        Reader list{d.take(d.u16())};
        while (list.ok && !list.done()) {
          const std::uint8_t kind = list.u8();
          auto name = list.take(list.u16());
          if (list.ok && kind == 0) {
            w.server_name.assign(name.begin(), name.end());
            break;
          }
        }
      }
    });
  } else if (type == 2 && !client_) {
    // The ServerHello body is read by tls/'s parser (the one the TLS probe
    // uses), fed one record holding just this message.
    if (body.size() + 4 > kMaxRecord) return;
    const std::size_t mlen = body.size(), rlen = mlen + 4;
    std::vector<std::uint8_t> rec = {22,
                                     3,
                                     3,
                                     static_cast<std::uint8_t>(rlen >> 8),
                                     static_cast<std::uint8_t>(rlen),
                                     2,
                                     static_cast<std::uint8_t>(mlen >> 16),
                                     static_cast<std::uint8_t>(mlen >> 8),
                                     static_cast<std::uint8_t>(mlen)};
    rec.insert(rec.end(), body.begin(), body.end());
    const tls::ParseResult pr = tls::parse_server_response(rec);
    if (pr.kind != tls::ParseResult::Kind::kServerHello) return;
    const tls::ServerHello& sh = pr.hello;
    if (sh.hello_retry_request) {
      w_->hello_retry_request = true;
      return;  // a real ServerHello follows
    }
    w_->server_hello = true;
    w_->server_hello_packet = packet;
    w_->server_legacy_version = sh.legacy_version;
    if (sh.version != sh.legacy_version)
      w_->selected_version = sh.version;
    else
      w_->selected_version.reset();
    w_->suite = sh.suite;
    // From TLS 1.3's ServerHello on, this direction is encrypted.
    if (w_->negotiated_version() >= 0x0304) encrypted_ = true;
  }
}

}  // namespace vantage::capture
