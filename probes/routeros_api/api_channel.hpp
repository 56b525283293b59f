#pragma once
// A RouterOS API conversation over one net::Stream (routeros::Channel: bounded
// in time and memory), recorded sentence by sentence (password values
// redacted) for the evidence.
#include <cstdint>
#include <string>
#include <vector>

#include "core/redact.hpp"
#include "net/stream.hpp"
#include "probes/probe.hpp"
#include "routeros/channel.hpp"
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

// A routeros::Channel whose every sentence and ending goes to the transcript.
class ApiChannel {
 public:
  using End = routeros::Channel::End;
  using Reply = routeros::Channel::Reply;

  ApiChannel(net::Stream& stream, Transcript& transcript, int conn_no);
  ApiChannel(const ApiChannel&) = delete;  // the channel points at recorder_
  ApiChannel& operator=(const ApiChannel&) = delete;

  // Sends one sentence; false when the write failed (`why` filled).
  bool send(const routeros::Sentence& s, Deadline dl, net::IoResult& why) {
    return channel_.send(s, dl, why);
  }
  // Reads one reply: sentences until "!done" or "!fatal" (inclusive).
  Reply read_reply(Deadline dl) { return channel_.read_reply(dl); }
  void set_logged_in() { channel_.set_logged_in(); }

  std::uint64_t bytes_received() const { return channel_.bytes_received(); }
  std::size_t buffered_bytes() const { return channel_.buffered_bytes(); }

  static constexpr std::size_t kMaxSentencesPerReply = routeros::Channel::kMaxSentencesPerReply;
  static constexpr std::uint64_t kMaxBytesPerConnection = routeros::Channel::kMaxBytesPerConnection;

 private:
  // Records the conversation as connection `conn` of the transcript.
  struct Recorder final : routeros::Channel::Observer {
    Recorder(Transcript& t, int c) : transcript(t), conn(c) {}
    void sent(const routeros::Sentence& s) override { transcript.sent(conn, s); }
    void received(const routeros::Sentence& s) override { transcript.received(conn, s); }
    void event(const std::string& text) override { transcript.event(conn, text); }
    std::string quote(const std::string& word) const override { return transcript.redact(word); }
    Transcript& transcript;
    int conn;
  };

  Recorder recorder_;
  routeros::Channel channel_;
};

// to_string(ApiChannel::End) is routeros::to_string(routeros::Channel::End).
using routeros::to_string;

}  // namespace vantage::probes
