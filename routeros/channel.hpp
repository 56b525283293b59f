#pragma once
// One RouterOS API conversation over a net::Stream: send a sentence, read a
// reply (sentences until !done or !fatal). Reading is bounded in time (the
// caller's deadline) and in memory (decoder Limits plus a per-reply sentence
// cap and a per-connection byte budget), so a hostile server that streams
// endless words, announces giant lengths or trickles one byte per second ends
// in a reported End, never in unbounded waiting or allocation. How a reply
// ended tells the peer's close (EOF), reset and silence (timeout) apart.
#include <cstdint>
#include <string>
#include <vector>

#include "core/deadline.hpp"
#include "net/stream.hpp"
#include "routeros/decoder.hpp"
#include "routeros/sentence.hpp"

namespace vantage::routeros {

class Channel {
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
    std::vector<Sentence> sentences;
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

  // Watches the conversation (a transcript). Every hook is optional.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void sent(const Sentence&) {}
    virtual void received(const Sentence&) {}
    // Why a send or a reply ended early (the same text as the Reply's detail).
    virtual void event(const std::string&) {}
    // How a word the peer sent is quoted in a detail (a transcript masks secrets).
    virtual std::string quote(const std::string& word) const { return word; }
  };

  static constexpr std::size_t kMaxSentencesPerReply = 256;
  static constexpr std::uint64_t kMaxBytesPerConnection = 1 << 20;

  // `observer` (may be null) must outlive the channel.
  Channel(net::Stream& stream, Limits limits, Observer* observer = nullptr);

  // Sends one sentence; false when the write failed (`why` filled).
  bool send(const Sentence& s, Deadline dl, net::IoResult& why);
  // Reads one reply: sentences until "!done" or "!fatal" (inclusive).
  Reply read_reply(Deadline dl);
  // Reads the next reply sentence into `out`; false when none can come:
  // `end` and `detail` say why (never kDone or kFatal).
  bool next(Sentence& out, Deadline dl, End& end, std::string& detail);
  void set_logged_in() { dec_.set_logged_in(true); }

  std::uint64_t bytes_received() const { return received_; }
  std::size_t buffered_bytes() const { return dec_.buffered_bytes(); }

 private:
  // Checks the first bytes a server ever sent: an API reply starts with a
  // length prefix and a word beginning with '!'. Returns false for other data.
  bool head_looks_like_api(std::string& why);
  void event(const std::string& text) {
    if (observer_) observer_->event(text);
  }

  net::Stream& stream_;
  Observer* observer_;
  Decoder dec_;
  std::vector<std::uint8_t> head_;  // first bytes, until the first word's first byte is seen
  bool head_checked_ = false;
  std::uint64_t received_ = 0;
};

const char* to_string(Channel::End e);

}  // namespace vantage::routeros
