#include "routeros/channel.hpp"

#include <fmt/format.h>

#include <array>

#include "routeros/word.hpp"

namespace vantage::routeros {

namespace {

std::string printable(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    if (b >= 0x20 && b < 0x7f && b != '\\')
      out += static_cast<char>(b);
    else
      out += fmt::format("\\x{:02x}", b);
  }
  return out;
}

Channel::End end_of(net::IoResult::Status s) {
  switch (s) {
    case net::IoResult::Status::kEof: return Channel::End::kEof;
    case net::IoResult::Status::kReset: return Channel::End::kReset;
    case net::IoResult::Status::kTimeout: return Channel::End::kTimeout;
    default: return Channel::End::kIoError;
  }
}

}  // namespace

const char* to_string(Channel::End e) {
  switch (e) {
    case Channel::End::kDone: return "done";
    case Channel::End::kFatal: return "fatal";
    case Channel::End::kEof: return "closed by peer";
    case Channel::End::kReset: return "reset by peer";
    case Channel::End::kTimeout: return "timeout";
    case Channel::End::kNotApi: return "not API data";
    case Channel::End::kProtocol: return "API protocol violation";
    case Channel::End::kIoError: return "I/O error";
  }
  return "?";
}

// ---- Reply ----

std::string Channel::Reply::first() const {
  return sentences.empty() ? "" : sentences.front().command();
}

std::string Channel::Reply::first_text() const {
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

std::string Channel::Reply::message() const {
  for (const auto& s : sentences) {
    if (auto m = s.attr("message")) return *m;
    if (s.command() == "!fatal" && s.words.size() > 1) return s.words[1];
  }
  return "";
}

bool Channel::Reply::trapped() const {
  for (const auto& s : sentences)
    if (s.command() == "!trap" || s.command() == "!fatal") return true;
  return false;
}

// ---- Channel ----

Channel::Channel(net::Stream& stream, Limits limits, Observer* observer)
    : stream_(stream), observer_(observer), dec_(limits) {}

bool Channel::send(const Sentence& s, Deadline dl, net::IoResult& why) {
  if (observer_) observer_->sent(s);
  auto bytes = s.encode();
  why = stream_.write_all(bytes, dl);
  if (!why.ok()) event(std::string("send failed: ") + net::to_string(why.status));
  return why.ok();
}

bool Channel::head_looks_like_api(std::string& why) {
  std::size_t pos = 0;
  while (pos < head_.size()) {
    auto d = decode_length(std::span<const std::uint8_t>(head_).subspan(pos));
    using S = DecodedLength::Status;
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

bool Channel::next(Sentence& out, Deadline dl, End& end, std::string& detail) {
  std::array<std::uint8_t, 4096> buf;
  for (;;) {
    Sentence s;
    const auto st = dec_.next(s);
    if (st == Decoder::State::kSentence) {
      const std::string& cmd = s.command();
      if (cmd.empty() || cmd[0] != '!') {
        end = End::kProtocol;
        detail = "a reply sentence starts with \"" + (observer_ ? observer_->quote(cmd) : cmd) +
                 "\", not a reply word";
        event(detail);
        return false;
      }
      if (observer_) observer_->received(s);
      out = std::move(s);
      return true;
    }
    if (st == Decoder::State::kError) {
      end = End::kProtocol;
      detail = "decoder limit or framing error: " + dec_.error();
      event(detail);
      return false;
    }
    if (received_ >= kMaxBytesPerConnection) {
      end = End::kProtocol;
      detail = fmt::format("more than {} bytes on one connection", kMaxBytesPerConnection);
      event(detail);
      return false;
    }
    net::IoResult io = stream_.read_some(buf, dl);
    if (!io.ok()) {
      end = end_of(io.status);
      detail = std::string(net::to_string(io.status)) +
               (io.detail.empty() ? "" : " (" + io.detail + ")");
      if (!dec_.at_boundary() || dec_.buffered_bytes() > 0)
        detail += fmt::format(" with an unfinished sentence after {} bytes", received_);
      event(detail);
      return false;
    }
    received_ += io.bytes;
    const auto got = std::span<const std::uint8_t>(buf.data(), io.bytes);
    if (!head_checked_) {
      const std::size_t keep =
          std::min<std::size_t>(io.bytes, 64 - std::min<std::size_t>(head_.size(), 64));
      head_.insert(head_.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(keep));
      std::string why;
      if (!head_looks_like_api(why)) {
        end = End::kNotApi;
        detail = why + "; first bytes: \"" + printable(head_) + "\"";
        event("not API: " + detail);
        return false;
      }
    }
    dec_.feed(got);
  }
}

Channel::Reply Channel::read_reply(Deadline dl) {
  Reply r;
  Sentence s;
  while (next(s, dl, r.end, r.detail)) {
    const std::string cmd = s.command();
    r.sentences.push_back(std::move(s));
    if (cmd == "!done" || cmd == "!fatal") {
      r.end = cmd == "!done" ? End::kDone : End::kFatal;
      return r;
    }
    if (r.sentences.size() >= kMaxSentencesPerReply) {
      r.end = End::kProtocol;
      r.detail =
          fmt::format("more than {} sentences in one reply without !done", kMaxSentencesPerReply);
      event(r.detail);
      return r;
    }
  }
  return r;
}

}  // namespace vantage::routeros
