#include "probes/routeros_api/api_channel.hpp"

#include <fmt/format.h>

#include "routeros/facts.hpp"

namespace vantage::probes {

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
  if (const auto k = routeros::secret_attribute(word); !k.empty() && word.size() > k.size())
    word = std::string(k) + "<redacted>";
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

// ---- ApiChannel ----

ApiChannel::ApiChannel(net::Stream& stream, Transcript& transcript, int conn_no)
    : recorder_(transcript, conn_no), channel_(stream, probe_limits(), &recorder_) {}

}  // namespace vantage::probes
