#pragma once
// A RouterOS API conversation over one net::Stream, recorded sentence by
// sentence (password values redacted) for the evidence. Reading is bounded in
// time (the caller's deadline) and in memory (decoder Limits plus a per-reply
// sentence cap and a per-connection byte budget), so a hostile server that
// streams endless words, announces giant lengths or trickles one byte per
// second ends in a reported End, never in unbounded waiting or allocation.
#include <cstdint>
#include <string>
#include <vector>

#include "core/redact.hpp"
#include "net/stream.hpp"
#include "probes/probe.hpp"
#include "routeros/decoder.hpp"
#include "routeros/sentence.hpp"

namespace vantage::probes {

// Every sentence sent and received, per connection, in order.
class Transcript {
 public:
  static constexpr std::size_t kMaxEntries = 400;
  static constexpr std::size_t kMaxWordChars = 256;
  void sent(int conn, const routeros::Sentence& s) { add(conn, "sent", s.words, ""); }
  void received(int conn, const routeros::Sentence& s) { add(conn, "received", s.words, ""); }
  void event(int conn, std::string text) { add(conn, "event", {}, std::move(text)); }
  // The check's secrets (the password and its encodings).
  void set_redactor(Redactor r) { redactor_ = std::move(r); }
  json to_json() const;
  // Masks =password= / =response= values, then every form of the secrets,
  // cutting the word to kMaxWordChars first (Redactor::redact).
  std::string redact(std::string word) const;

 private:
  struct Entry {
    int conn;
    const char* dir;
    std::vector<std::string> words;
    std::string text;
  };
  void add(int conn, const char* dir, const std::vector<std::string>& words, std::string text);
  std::vector<Entry> entries_;
  Redactor redactor_;
  std::size_t dropped_ = 0;
};

// The decoder limits the probe reads a router with: generous for any real
// reply to the few commands it sends, small against a hostile server.
routeros::Limits probe_limits();

class ApiChannel {
 public:
  enum class End {
    kDone,      // "!done" ended the reply
    kFatal,     // "!fatal" (the router closes next)
    kEof,       // the peer closed
    kReset,     // the peer reset
    kTimeout,   // the deadline passed
    kNotApi,    // bytes that are not RouterOS API framing or replies
    kProtocol,  // API framing that broke a limit or the grammar (hostile or broken)
    kIoError,
  };
  struct Reply {
    std::vector<routeros::Sentence> sentences;
    End end = End::kTimeout;
    std::string detail;  // for kNotApi / kProtocol / kIoError, and the bytes seen
    // First reply word when any sentence arrived ("!trap"), else "".
    std::string first() const;
    // "!trap =message=..." of the first sentence, for messages (bounded).
    std::string first_text() const;
    // Value of the first "=message=" among the sentences, or the !fatal reason.
    std::string message() const;
    bool trapped() const;
  };

  ApiChannel(net::Stream& stream, Transcript& transcript, int conn_no);

  // Sends one sentence; false when the write failed (`why` filled).
  bool send(const routeros::Sentence& s, Deadline dl, net::IoResult& why);
  // Reads one reply: sentences until "!done" or "!fatal" (inclusive).
  Reply read_reply(Deadline dl);
  void set_logged_in() { dec_.set_logged_in(true); }

  std::uint64_t bytes_received() const { return received_; }
  std::size_t buffered_bytes() const { return dec_.buffered_bytes(); }

  static constexpr std::size_t kMaxSentencesPerReply = 256;
  static constexpr std::uint64_t kMaxBytesPerConnection = 1 << 20;

 private:
  // Checks the first bytes a server ever sent: an API reply starts with a
  // length prefix and a word beginning with '!'. Returns false for other data.
  bool head_looks_like_api(std::string& why);
  static std::string printable(const std::vector<std::uint8_t>& bytes);

  net::Stream& stream_;
  Transcript& transcript_;
  int conn_;
  routeros::Decoder dec_;
  std::vector<std::uint8_t> head_;  // first bytes, until the first word's first byte is seen
  bool head_checked_ = false;
  std::uint64_t received_ = 0;
};

const char* to_string(ApiChannel::End e);

}  // namespace vantage::probes
