#pragma once
// RouterOS facts vantage relies on in more than one place, stated once:
// which login attributes carry a secret, the refusals a router words, and the
// user the detection /login names. The prober, the capture analyser and the transcripts all read
// them from here, so a capture recognises exactly what the probe sends.
#include <array>
#include <string_view>

namespace vantage::routeros {

// The attribute words of /login that carry a secret: the plaintext password
// (6.43+) and the legacy MD5 challenge response (before 6.43).
inline constexpr std::string_view kPasswordAttribute = "=password=";
inline constexpr std::string_view kResponseAttribute = "=response=";
inline constexpr std::array<std::string_view, 2> kSecretAttributes = {kPasswordAttribute,
                                                                      kResponseAttribute};

// The secret attribute `word` starts with ("=password=" ...), or "" for any other word.
inline std::string_view secret_attribute(std::string_view word) {
  for (std::string_view k : kSecretAttributes)
    if (word.starts_with(k)) return k;
  return {};
}
// True when `word` is a secret attribute (its value, possibly empty, follows).
inline bool is_secret_attribute(std::string_view word) {
  return !secret_attribute(word).empty();
}

// The message of the !trap for a command the user's group lacks a policy
// for; RouterOS appends the error number: "not enough permissions (9)".
inline constexpr std::string_view kNotEnoughPermissions = "not enough permissions";
// The reason of the !fatal a router sends for a command before /login.
inline constexpr std::string_view kNotLoggedIn = "not logged in";

// The user vantage's detection /login names, with an empty password: every
// RouterOS answers it, and no credential crosses the wire.
inline constexpr const char* kDetectionUser = "vantage-probe";

}  // namespace vantage::routeros
