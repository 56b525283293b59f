#pragma once
// A passive TLS witness for one TCP direction: walks the record stream
// without decrypting anything, and reads the hellos and plaintext alerts.
//
// Record:     | type(1) | major(1) | minor(1) | length(2) | fragment ... |
//             type 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data,
//             24 heartbeat; major 3; length 1 .. 2^14+2048
// Handshake:  | msg_type(1) | length(3) | body ... |   (may span records)
//
// ClientHello body:
//   | legacy_version(2) | random(32) | sid_len(1) sid | suites_len(2) suites |
//   | comp_len(1) comp | ext_len(2) { type(2) len(2) data }* |
//   supported_versions (43): list_len(1) versions(2)*     server_name (0): list of host names
// ServerHello body:
//   | legacy_version(2) | random(32) | sid_len(1) sid | suite(2) | comp(1) | ext_len(2) exts |
//   supported_versions (43): selected(2). A HelloRetryRequest has the fixed random
//   SHA-256("HelloRetryRequest").
// Alert (plaintext only before change_cipher_spec / TLS 1.3 keys): | level(1) | description(1) |
//
// The record stream is "valid from the first byte" when the very first bytes
// form a handshake (or alert) record header. After a gap the walker resyncs
// at the next segment boundary that starts a plausible record header.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vantage::capture {

struct TlsAlertSeen {
  bool from_client = false;
  bool encrypted = false;  // content unreadable (after keys were in use)
  std::uint8_t level = 0;
  std::uint8_t description = 0;
  std::uint64_t packet = 0;
  std::string describe() const;  // "fatal handshake_failure" / "encrypted"
};

struct TlsWitness {
  bool client_hello = false;
  std::uint64_t client_hello_packet = 0;
  std::uint16_t client_legacy_version = 0;
  std::vector<std::uint16_t> client_supported_versions;  // extension 43, GREASE removed
  std::vector<std::uint16_t> offered_suites;             // GREASE removed
  std::string server_name;                               // SNI

  bool server_hello = false;
  std::uint64_t server_hello_packet = 0;
  std::uint16_t server_legacy_version = 0;
  std::optional<std::uint16_t> selected_version;  // extension 43
  std::uint16_t suite = 0;
  bool hello_retry_request = false;

  std::vector<TlsAlertSeen> alerts;  // bounded

  // The negotiated version (supported_versions when present); 0 when no ServerHello.
  std::uint16_t negotiated_version() const;
  // Versions the client offered: supported_versions, or legacy_version and below.
  std::vector<std::uint16_t> offered_versions() const;
};

class TlsRecordWalker {
 public:
  enum class Verdict { kUndecided, kTls, kNotTls };
  TlsRecordWalker(bool from_client, TlsWitness& witness) : client_(from_client), w_(&witness) {}

  void on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  // Missing bytes: the record boundary is lost until a resync.
  void on_gap();
  // The stream was already running when the capture started.
  void start_midstream() { resync_ = true; }

  Verdict verdict() const { return verdict_; }
  bool active() const { return verdict_ != Verdict::kNotTls; }
  std::uint64_t records() const { return records_; }
  std::uint64_t desyncs() const { return desyncs_; }
  std::uint64_t desync_packet() const { return desync_packet_; }

 private:
  bool header_ok(const std::uint8_t* h) const;
  void start_record(std::uint64_t packet);
  void body(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void handshake_bytes(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void handshake_message(std::uint8_t type, std::span<const std::uint8_t> body,
                         std::uint64_t packet);
  void lose_sync(std::uint64_t packet);

  bool client_;
  TlsWitness* w_;
  Verdict verdict_ = Verdict::kUndecided;
  bool resync_ = false;
  int resync_attempts_ = 0;
  std::uint8_t hdr_[5] = {};
  std::size_t hdr_len_ = 0;
  std::size_t body_left_ = 0;
  std::uint8_t type_ = 0;
  bool encrypted_ = false;  // keys in use: bodies are opaque
  std::uint64_t records_ = 0;
  std::uint64_t desyncs_ = 0;
  std::uint64_t desync_packet_ = 0;
  // Handshake message reassembly (hellos only; other messages are skipped).
  std::uint8_t msg_hdr_[4] = {};
  std::size_t msg_hdr_len_ = 0;
  std::size_t msg_left_ = 0;
  std::uint8_t msg_type_ = 0;
  bool msg_keep_ = false;
  std::vector<std::uint8_t> msg_;
  std::uint8_t alert_[2] = {};
  std::size_t alert_len_ = 0;
};

std::string tls_version_name(std::uint16_t v);
std::string tls_suite_name(std::uint16_t suite);

}  // namespace vantage::capture
