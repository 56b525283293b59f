#include "capture/http_sniffer.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <string_view>

namespace vantage::capture {
namespace {

constexpr std::size_t kMaxLine = 8 * 1024;
constexpr std::uint64_t kMaxUndecided = 64 * 1024;  // midstream: bytes to find a request line
constexpr std::size_t kMaxCredentials = 64;

bool istarts(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// "GET /x HTTP/1.1" (the CR already removed).
bool request_line(std::string_view l) {
  static const std::regex re(R"(^[A-Z]{3,10} [^ ]+ HTTP/1\.[01]$)");
  return l.size() < 4096 && std::regex_match(l.begin(), l.end(), re);
}

int b64(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// The user part of base64("user:password"), decoded only up to the colon so
// that the password is never in memory in clear.
std::string basic_user(std::string_view token) {
  std::string user;
  unsigned acc = 0;
  int bits = 0;
  for (unsigned char c : token) {
    const int v = b64(c);
    if (v < 0) break;
    acc = (acc << 6 | static_cast<unsigned>(v)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const char ch = static_cast<char>((acc >> bits) & 0xFF);
      if (ch == ':') return user;
      user += ch;
      if (user.size() > 256) break;
    }
  }
  return {};  // no colon: not "user:password", name unknown
}

// username="x" (or username=x) among Digest parameters.
std::string digest_user(std::string_view params) {
  std::size_t at = 0;
  while (at < params.size()) {
    while (at < params.size() && (params[at] == ' ' || params[at] == ',' || params[at] == '\t'))
      ++at;
    std::size_t eq = params.find('=', at);
    if (eq == std::string_view::npos) return {};
    std::string_view name = params.substr(at, eq - at);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    std::size_t v = eq + 1;
    while (v < params.size() && (params[v] == ' ' || params[v] == '\t')) ++v;
    std::string value;
    if (v < params.size() && params[v] == '"') {
      ++v;
      while (v < params.size() && params[v] != '"') {
        if (params[v] == '\\' && v + 1 < params.size()) ++v;
        value += params[v++];
      }
      ++v;
    } else {
      while (v < params.size() && params[v] != ',') value += params[v++];
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    }
    if (name.size() == 8 && istarts(name, "username")) return value;
    at = v;
  }
  return {};
}

}  // namespace

bool HttpSniffer::first_bytes_ok(std::uint8_t c) const {
  // A request line starts with an upper-case method and a space.
  if (line_.find(' ') != std::string::npos) return line_.size() < kMaxLine;
  if (line_.size() >= 10) return c == ' ';
  return (c >= 'A' && c <= 'Z') || (c == ' ' && line_.size() >= 3);
}

void HttpSniffer::on_gap() {
  if (verdict_ == Verdict::kNotHttp) return;
  std::fill(line_.begin(), line_.end(), '\0');
  line_.clear();
  junk_line_ = true;  // the rest of this line follows lost bytes
  line_cut_ = false;
  if (verdict_ == Verdict::kUndecided) midstream_ = true;
}

void HttpSniffer::on_data(std::span<const std::uint8_t> bytes, std::uint64_t packet) {
  for (std::uint8_t c : bytes) {
    if (verdict_ == Verdict::kNotHttp) return;
    if (verdict_ == Verdict::kUndecided && !midstream_ && !first_bytes_ok(c)) {
      verdict_ = Verdict::kNotHttp;
      line_.clear();
      return;
    }
    if (verdict_ == Verdict::kUndecided && midstream_ && ++undecided_bytes_ > kMaxUndecided) {
      verdict_ = Verdict::kNotHttp;
      return;
    }
    if (line_.empty() && !line_cut_) line_packet_ = packet;
    if (c == '\n') {
      end_line(packet);
      continue;
    }
    if (line_.size() < kMaxLine)
      line_ += static_cast<char>(c);
    else
      line_cut_ = true;
  }
}

void HttpSniffer::end_line(std::uint64_t packet) {
  std::string_view l(line_);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  if (junk_line_) {
    junk_line_ = false;
  } else if (verdict_ == Verdict::kUndecided && !midstream_) {
    verdict_ = request_line(l) ? Verdict::kHttp : Verdict::kNotHttp;
  } else {
    if (verdict_ == Verdict::kUndecided && request_line(l)) verdict_ = Verdict::kHttp;
    std::string_view header;
    if (istarts(l, "authorization:"))
      header = l.substr(0, 13);
    else if (istarts(l, "proxy-authorization:"))
      header = l.substr(0, 19);
    // Midstream, a credential header is evidence enough of HTTP.
    if (!header.empty() && creds_.size() < kMaxCredentials) {
      if (verdict_ == Verdict::kUndecided) verdict_ = Verdict::kHttp;
      HttpCredential cr;
      cr.header = std::string(header);
      std::string_view v = l.substr(header.size() + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      const std::size_t sp = v.find(' ');
      cr.scheme = std::string(v.substr(0, std::min<std::size_t>(sp, 64)));
      const std::string_view rest = sp == std::string_view::npos ? "" : v.substr(sp + 1);
      if (istarts(cr.scheme, "basic") && cr.scheme.size() == 5) {
        std::string_view tok = rest;
        while (!tok.empty() && tok.front() == ' ') tok.remove_prefix(1);
        cr.user = basic_user(tok);
      } else if (istarts(cr.scheme, "digest") && cr.scheme.size() == 6) {
        cr.user = digest_user(rest);
      } else if (sp == std::string_view::npos) {
        cr.scheme.clear();  // one token: the credential itself, no scheme
      }
      cr.first_packet = line_packet_;
      cr.last_packet = packet;
      creds_.push_back(std::move(cr));
    }
  }
  // The line may have held a secret: scrub it before the memory is reused.
  std::fill(line_.begin(), line_.end(), '\0');
  line_.clear();
  line_cut_ = false;
}

}  // namespace vantage::capture
