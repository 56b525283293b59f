#include "probes/routeros_api/api_channel.hpp"

#include <fmt/format.h>

#include <array>

#include "routeros/word.hpp"

namespace vantage::probes {

using routeros::Sentence;

const char* to_string(ApiChannel::End e) {
  switch (e) {
    case ApiChannel::End::kDone:
      return "done";
    case ApiChannel::End::kFatal:
      return "fatal";
    case ApiChannel::End::kEof:
      return "closed by peer";
    case ApiChannel::End::kReset:
      return "reset by peer";
    case ApiChannel::End::kTimeout:
      return "timeout";
    case ApiChannel::End::kNotApi:
      return "not API data";
    case ApiChannel::End::kProtocol:
      return "API protocol violation";
    case ApiChannel::End::kIoError:
      return "I/O error";
  }
  return "?";
}

routeros::Limits probe_limits() {
  routeros::Limits l;
  l.max_word = 16 * 1024;
  l.max_words = 256;
  l.max_bytes_before_login = 64 * 1024;
  l.max_sentence_bytes = 64 * 1024;
  return l;
}

// ---- Transcript ----

std::string Transcript::redact(std::string word) const {
  for (const char* key : {"=password=", "=response="}) {
    const std::string k(key);
    if (word.rfind(k, 0) == 0 && word.size() > k.size()) word = k + "<redacted>";
  }
  return redactor_.redact(word, kMaxWordChars);
}

void Transcript::add(int conn, const char* dir, const std::vector<std::string>& words,
                     std::string text) {
  if (entries_.size() >= kMaxEntries) {
    ++dropped_;
    return;
  }
  Entry e{conn, dir, {}, redact(std::move(text))};
  const std::size_t shown = std::min<std::size_t>(words.size(), 64);
  for (std::size_t i = 0; i < shown; ++i) e.words.push_back(redact(words[i]));
  if (words.size() > shown)
    e.words.push_back(fmt::format("...({} more words)", words.size() - shown));
  entries_.push_back(std::move(e));
}

json Transcript::to_json() const {
  json a = json::array();
  for (const auto& e : entries_) {
    json j = {{"conn", e.conn}, {"dir", e.dir}};
    if (!e.words.empty() || e.text.empty()) j["words"] = e.words;
    if (!e.text.empty()) j["text"] = e.text;
    a.push_back(std::move(j));
  }
  if (dropped_ > 0)
    a.push_back({{"dir", "event"}, {"text", fmt::format("{} more entries not kept", dropped_)}});
  return a;
}

// ---- Reply ----

std::string ApiChannel::Reply::first() const {
  return sentences.empty() ? "" : sentences.front().command();
}

std::string ApiChannel::Reply::first_text() const {
  if (sentences.empty()) return "";
  std::string t;
  for (const auto& w : sentences.front().words) {
    if (t.size() > 200) {
      t += " ...";
      break;
    }
    t += (t.empty() ? "" : " ") + w;
  }
  return t;
}

std::string ApiChannel::Reply::message() const {
  for (const auto& s : sentences) {
    if (auto m = s.attr("message")) return *m;
    if (s.command() == "!fatal" && s.words.size() > 1) return s.words[1];
  }
  return "";
}

bool ApiChannel::Reply::trapped() const {
  for (const auto& s : sentences)
    if (s.command() == "!trap" || s.command() == "!fatal") return true;
  return false;
}

// ---- ApiChannel ----

ApiChannel::ApiChannel(net::Stream& stream, Transcript& transcript, int conn_no)
    : stream_(stream), transcript_(transcript), conn_(conn_no), dec_(probe_limits()) {}

bool ApiChannel::send(const Sentence& s, Deadline dl, net::IoResult& why) {
  transcript_.sent(conn_, s);
  auto bytes = s.encode();
  why = stream_.write_all(bytes, dl);
  if (!why.ok())
    transcript_.event(conn_, std::string("send failed: ") + net::to_string(why.status));
  return why.ok();
}

std::string ApiChannel::printable(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    if (b >= 0x20 && b < 0x7f && b != '\\')
      out += static_cast<char>(b);
    else
      out += fmt::format("\\x{:02x}", b);
  }
  return out;
}

bool ApiChannel::head_looks_like_api(std::string& why) {
  std::size_t pos = 0;
  while (pos < head_.size()) {
    auto d = routeros::decode_length(std::span<const std::uint8_t>(head_).subspan(pos));
    using S = routeros::DecodedLength::Status;
    if (d.status == S::kNeedMore) return true;  // undecided yet
    if (d.status == S::kReserved || d.status == S::kInvalid) {
      head_checked_ = true;
      why = fmt::format("first byte 0x{:02x} is not an API length prefix", head_[pos]);
      return false;
    }
    if (d.length == 0) {  // an empty sentence: ignored by the protocol
      pos += d.prefix_bytes;
      continue;
    }
    if (pos + d.prefix_bytes >= head_.size()) return true;  // undecided yet
    head_checked_ = true;
    const std::uint8_t c = head_[pos + d.prefix_bytes];
    if (c == '!') return true;
    why = "the first word does not start with '!' as every API reply does";
    return false;
  }
  return true;
}

ApiChannel::Reply ApiChannel::read_reply(Deadline dl) {
  Reply r;
  std::array<std::uint8_t, 4096> buf;
  for (;;) {
    Sentence s;
    const auto st = dec_.next(s);
    if (st == routeros::Decoder::State::kSentence) {
      const std::string& cmd = s.command();
      if (cmd.empty() || cmd[0] != '!') {
        r.end = End::kProtocol;
        r.detail =
            "a reply sentence starts with \"" + transcript_.redact(cmd) + "\", not a reply word";
        transcript_.event(conn_, r.detail);
        return r;
      }
      transcript_.received(conn_, s);
      r.sentences.push_back(std::move(s));
      if (cmd == "!done" || cmd == "!fatal") {
        r.end = cmd == "!done" ? End::kDone : End::kFatal;
        return r;
      }
      if (r.sentences.size() >= kMaxSentencesPerReply) {
        r.end = End::kProtocol;
        r.detail =
            fmt::format("more than {} sentences in one reply without !done", kMaxSentencesPerReply);
        transcript_.event(conn_, r.detail);
        return r;
      }
      continue;
    }
    if (st == routeros::Decoder::State::kError) {
      r.end = End::kProtocol;
      r.detail = "decoder limit or framing error: " + dec_.error();
      transcript_.event(conn_, r.detail);
      return r;
    }
    if (received_ >= kMaxBytesPerConnection) {
      r.end = End::kProtocol;
      r.detail = fmt::format("more than {} bytes on one connection", kMaxBytesPerConnection);
      transcript_.event(conn_, r.detail);
      return r;
    }
    net::IoResult io = stream_.read_some(buf, dl);
    if (!io.ok()) {
      switch (io.status) {
        case net::IoResult::Status::kEof:
          r.end = End::kEof;
          break;
        case net::IoResult::Status::kReset:
          r.end = End::kReset;
          break;
        case net::IoResult::Status::kTimeout:
          r.end = End::kTimeout;
          break;
        default:
          r.end = End::kIoError;
          break;
      }
      r.detail = std::string(net::to_string(io.status)) +
                 (io.detail.empty() ? "" : " (" + io.detail + ")");
      if (!dec_.at_boundary() || dec_.buffered_bytes() > 0)
        r.detail += fmt::format(" with an unfinished sentence after {} bytes", received_);
      transcript_.event(conn_, r.detail);
      return r;
    }
    received_ += io.bytes;
    const auto got = std::span<const std::uint8_t>(buf.data(), io.bytes);
    if (!head_checked_) {
      const std::size_t keep =
          std::min<std::size_t>(io.bytes, 64 - std::min<std::size_t>(head_.size(), 64));
      head_.insert(head_.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(keep));
      std::string why;
      if (!head_looks_like_api(why)) {
        r.end = End::kNotApi;
        r.detail = why + "; first bytes: \"" + printable(head_) + "\"";
        transcript_.event(conn_, "not API: " + r.detail);
        return r;
      }
    }
    dec_.feed(got);
  }
}

}  // namespace vantage::probes
