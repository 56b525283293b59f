#pragma once
// The one redaction function for text taken from the network. A check that
// holds a secret (a password; a user and password pair) tells a Redactor
// about it, and the Redactor derives every encoding in which a hostile or
// merely echoing peer could hand it back: raw, JSON-escaped, base64 of
// "user:password" (HTTP Basic), base64 of the password, and percent-encoded
// ("%20" and "+" styles, either hex case). Every string a probe stores from
// the network goes through redact() before it reaches evidence, a verdict
// message or a report.
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vantage {

class Redactor {
 public:
  static constexpr std::string_view kMask = "<redacted>";
  static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

  // A password: itself and each of its encodings.
  void add_password(std::string_view password);
  // A user and password pair: the password's forms plus base64 of
  // "user:password" (what an Authorization: Basic header carries).
  void add_credentials(std::string_view user, std::string_view password);

  bool empty() const { return forms_.empty(); }
  // Every form masked, longest first (for tests and for other redactors).
  const std::vector<std::string>& forms() const { return forms_; }

  // Cuts `text` to `max_len` bytes FIRST (noting the original size), then
  // masks every form, and also a prefix of a form left at the cut: masking
  // first and cutting later could never see a secret that straddles the cut,
  // and cutting without looking would leave its first bytes behind.
  std::string redact(std::string_view text, std::size_t max_len = kNoLimit) const;

 private:
  void add_form(std::string form);
  std::vector<std::string> forms_;
};

// Standard base64 with padding (RFC 4648 section 4).
std::string base64_encode(std::string_view in);
// Percent-encoding of every byte outside RFC 3986's unreserved set. With
// `plus_for_space`, a space becomes '+' (application/x-www-form-urlencoded).
std::string percent_encode(std::string_view in, bool plus_for_space, bool lower_hex = false);

}  // namespace vantage
