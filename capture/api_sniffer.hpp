#pragma once
// Recognises the RouterOS API in one plaintext TCP direction, with the codec
// from routeros/ (word and sentence framing drawn in routeros/word.hpp), and
// spots logins that carry a credential.
//
// A direction speaks the API when it starts with a sentence whose first word
// is a command ("/...") or a reply ("!..."), and that sentence decodes:
//
//   | len | "/login" | len | "=name=admin" | len | "=password=..." | 00 |
//
// The first bytes are checked before the codec sees anything (a 1- or 2-byte
// length, then '/' or '!'), so TLS, HTTP or SSH are rejected at once.
// Passwords and challenge responses are never kept: only the fact that one
// was sent, the user name and the packets.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vantage::routeros {
class Decoder;
}

namespace vantage::capture {

struct ApiLogin {
  std::string user;       // =name= (may be empty)
  bool password = false;  // =password= (6.43+ plaintext login)
  bool response = false;  // =response= (legacy MD5 challenge response)
  // Every secret word was empty: no credential crossed (vantage's own
  // plaintext detection logs in this way, as routeros::kDetectionUser).
  bool empty_secret = false;
  std::uint64_t first_packet = 0;
  std::uint64_t last_packet = 0;
};

class ApiSniffer {
 public:
  enum class Verdict { kUndecided, kApi, kNotApi };
  ApiSniffer();
  ~ApiSniffer();
  ApiSniffer(ApiSniffer&&) noexcept;
  ApiSniffer& operator=(ApiSniffer&&) noexcept;

  void on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void on_gap();
  void start_midstream() { resync_ = true; }

  Verdict verdict() const { return verdict_; }
  bool active() const { return verdict_ != Verdict::kNotApi; }
  std::uint64_t sentences() const { return sentences_; }
  const std::string& first_word() const { return first_word_; }  // command or reply word
  std::uint64_t first_sentence_packet() const { return first_sentence_packet_; }
  const std::vector<ApiLogin>& logins() const { return logins_; }
  const std::string& error() const { return error_; }
  // Every byte seen, from the stream's first, decoded into whole sentences:
  // nothing undecoded, skipped or left half a sentence.
  bool whole() const;

 private:
  // 1: looks like a sentence start, 0: no, -1: need more bytes.
  static int plausible_start(std::span<const std::uint8_t> b);
  void restart(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void feed(std::span<const std::uint8_t> bytes, std::uint64_t packet);
  void fail_or_resync();

  std::unique_ptr<routeros::Decoder> dec_;
  Verdict verdict_ = Verdict::kUndecided;
  bool resync_ = false;
  bool from_start_ = false;  // decoding began at the first byte of the stream
  int resync_attempts_ = 0;
  std::vector<std::uint8_t> head_;  // first bytes, until plausible_start decides
  std::uint64_t head_packet_ = 0;
  std::uint64_t sentence_start_packet_ = 0;
  std::uint64_t sentences_ = 0;
  std::string first_word_;
  std::uint64_t first_sentence_packet_ = 0;
  std::vector<ApiLogin> logins_;
  std::string error_;
};

}  // namespace vantage::capture
