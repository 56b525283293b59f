#include "capture/api_sniffer.hpp"

#include <algorithm>

#include "routeros/codec.hpp"
#include "routeros/facts.hpp"

namespace vantage::capture {
namespace {

constexpr int kMaxResyncAttempts = 16;
constexpr std::uint64_t kMaxBytesToFirstSentence = 64 * 1024;
constexpr std::size_t kMaxLogins = 64;

routeros::Limits passive_limits() {
  routeros::Limits l;
  l.max_bytes_before_login = 0;  // we watch, we do not enforce
  l.max_word = 64 * 1024;
  l.max_sentence_bytes = 256 * 1024;
  return l;
}

bool word_starts(const std::string& w, std::string_view prefix) {
  return w.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), w.begin());
}

// A first word shaped like a command path or a reply.
bool command_shaped(const std::string& w) {
  if (w.size() < 2 || (w[0] != '/' && w[0] != '!')) return false;
  return std::all_of(w.begin(), w.end(),
                     [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; });
}

}  // namespace

ApiSniffer::ApiSniffer() = default;
ApiSniffer::~ApiSniffer() = default;
ApiSniffer::ApiSniffer(ApiSniffer&&) noexcept = default;
ApiSniffer& ApiSniffer::operator=(ApiSniffer&&) noexcept = default;

int ApiSniffer::plausible_start(std::span<const std::uint8_t> b) {
  if (b.empty()) return -1;
  std::size_t skip;
  if (b[0] >= 2 && b[0] <= 0x7f)
    skip = 1;
  else if (b[0] >= 0x80 && b[0] <= 0xbf)
    skip = 2;
  else
    return 0;
  if (b.size() <= skip) return -1;
  return (b[skip] == '/' || b[skip] == '!') ? 1 : 0;
}

void ApiSniffer::on_gap() {
  if (verdict_ == Verdict::kNotApi) return;
  dec_.reset();
  head_.clear();
  resync_ = true;
}

void ApiSniffer::fail_or_resync() {
  dec_.reset();
  head_.clear();
  if (verdict_ == Verdict::kUndecided && from_start_) {
    verdict_ = Verdict::kNotApi;
    return;
  }
  resync_ = true;
  if (++resync_attempts_ > kMaxResyncAttempts && verdict_ == Verdict::kUndecided)
    verdict_ = Verdict::kNotApi;
}

void ApiSniffer::on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  if (verdict_ == Verdict::kNotApi || bytes.empty()) return;
  if (dec_) {
    feed(bytes, packet);
    return;
  }
  if (resync_) {
    // After lost bytes only a segment start can begin a sentence.
    if (plausible_start(bytes) != 1) {
      if (++resync_attempts_ > kMaxResyncAttempts && verdict_ == Verdict::kUndecided)
        verdict_ = Verdict::kNotApi;
      return;
    }
    resync_ = false;
    restart(bytes, packet);
    return;
  }
  // The stream start: collect the first few bytes until they decide.
  if (head_.empty()) head_packet_ = packet;
  head_.insert(head_.end(), bytes.begin(), bytes.begin() + std::min<std::size_t>(bytes.size(), 3));
  const int p = plausible_start(head_);
  if (p == -1) {
    if (bytes.size() >= 3) {  // cannot happen: 3 bytes always decide
      verdict_ = Verdict::kNotApi;
    }
    // Keep the bytes: the real data continues in the next chunk.
    return;
  }
  if (p == 0) {
    verdict_ = Verdict::kNotApi;
    head_.clear();
    return;
  }
  // head_ holds at most 3 bytes copied from earlier chunks plus this one's
  // start; replay the earlier ones, then this whole chunk.
  const std::size_t from_this = std::min<std::size_t>(bytes.size(), 3);
  std::vector<std::uint8_t> earlier(head_.begin(), head_.end() - static_cast<long>(from_this));
  head_.clear();
  dec_ = std::make_unique<routeros::Decoder>(passive_limits());
  from_start_ = true;
  sentence_start_packet_ = head_packet_;
  if (!earlier.empty()) dec_->feed(earlier);
  feed(bytes, packet);
}

bool ApiSniffer::whole() const {
  return verdict_ == Verdict::kApi && from_start_ && !resync_ && resync_attempts_ == 0 &&
         error_.empty() && head_.empty() && dec_ && dec_->at_boundary();
}

void ApiSniffer::restart(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  dec_ = std::make_unique<routeros::Decoder>(passive_limits());
  from_start_ = false;
  sentence_start_packet_ = packet;
  feed(bytes, packet);
}

void ApiSniffer::feed(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  if (dec_->at_boundary()) sentence_start_packet_ = packet;
  dec_->feed(bytes);
  routeros::Sentence s;
  for (;;) {
    const auto st = dec_->next(s);
    if (st == routeros::Decoder::State::kNeedMore) break;
    if (st == routeros::Decoder::State::kError) {
      if (error_.empty()) error_ = dec_->error();
      fail_or_resync();
      return;
    }
    const std::string& cmd = s.command();
    if (!command_shaped(cmd)) {
      fail_or_resync();
      return;
    }
    if (verdict_ == Verdict::kUndecided) {
      verdict_ = Verdict::kApi;
      first_word_ = cmd;
      first_sentence_packet_ = sentence_start_packet_;
    }
    ++sentences_;
    if (cmd == "/login") {
      ApiLogin login;
      bool secret_seen = false;
      for (std::string& w : s.words) {
        if (word_starts(w, "=name=")) {
          login.user = w.substr(6);
        } else if (const auto secret = routeros::secret_attribute(w); !secret.empty()) {
          (secret == routeros::kPasswordAttribute ? login.password : login.response) = true;
          secret_seen |= w.size() > secret.size();
        }
        // Scrub every attribute value of a login before the memory is reused.
        std::fill(w.begin(), w.end(), '\0');
      }
      login.empty_secret = !secret_seen;
      if ((login.password || login.response) && logins_.size() < kMaxLogins) {
        login.first_packet = sentence_start_packet_;
        login.last_packet = packet;
        logins_.push_back(std::move(login));
      }
    }
    s.words.clear();
    sentence_start_packet_ = packet;
  }
  if (verdict_ == Verdict::kUndecided && dec_ && dec_->bytes_consumed() > kMaxBytesToFirstSentence)
    fail_or_resync();
}

}  // namespace vantage::capture
