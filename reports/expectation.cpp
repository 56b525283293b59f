#include "reports/expectation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace vantage::reports {
namespace {

// A value in words: strings bare, arrays joined, objects as "key value".
std::string words(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + words(e);
    return out;
  }
  if (v.is_object()) {
    std::string out;
    for (const auto& [k, e] : v.items()) out += (out.empty() ? "" : ", ") + k + " " + words(e);
    return out;
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string spaced(std::string s) {
  std::replace(s.begin(), s.end(), '_', ' ');
  std::replace(s.begin(), s.end(), '-', ' ');
  return s;
}

// The one-word expectations (probe, word) -> sentence; "{port}" is filled in.
const std::map<std::pair<std::string, std::string>, std::string>& word_table() {
  static const std::map<std::pair<std::string, std::string>, std::string> t = {
      {{"tcp", "open"}, "port {port} accepts a connection"},
      {{"tcp", "not-open"}, "port {port} is not open (refused or filtered)"},
      {{"tcp", "closed"}, "port {port} refuses a connection (RST)"},
      {{"tcp", "filtered"}, "port {port} gives no answer (filtered)"},
      {{"routeros-api", "api"}, "the RouterOS API answers on port {port}"},
      {{"routeros-api", "no-api"}, "no RouterOS API service answers on port {port}"},
      {{"routeros-api", "not-api"}, "something other than the RouterOS API answers on port {port}"},
      {{"routeros-api", "restricted"},
       "the API service on port {port} refuses this source (its address list)"},
      {{"rest", "no-rest-on-plain-http"}, "no REST API over plain HTTP on port {port}"},
      {{"capture", "no-plaintext-api"}, "no plaintext RouterOS API traffic in the capture"},
  };
  return t;
}

// Expectation keys -> how to say them; {} is the value in words.
const std::map<std::string, std::string>& key_table() {
  static const std::map<std::string, std::string> t = {
      {"accept", "accepts {}"},
      {"reject", "refuses {}"},
      {"forbid_ciphers", "no {} cipher suites"},
      {"forbid_suites", "none of the suites {}"},
      {"min_dh_bits", "DH groups of at least {} bits"},
      {"policy", "meets the TLS policy {}"},
      {"login", "login {}"},
      {"read", "reading {}"},
      {"write", "writing {}"},
      {"pre_login", "a command before login gets {}"},
      {"legacy_login", "the pre-6.43 challenge login offered: {}"},
      {"max_sessions", "max-sessions {}"},
      {"trust", "a certificate that chains to {}"},
      {"name", "a certificate for the name {}"},
      {"min_days_left", "at least {} days before the certificate expires"},
      {"min_rsa_bits", "RSA keys of at least {} bits"},
      {"min_ec_bits", "EC keys of at least {} bits"},
      {"forbid_signatures", "no {} signatures"},
      {"pin", "the pinned key {}"},
  };
  return t;
}

std::string describe_key(const std::string& key, const json& v) {
  if (key == "require_forward_secrecy")
    return v.is_boolean() && v.get<bool>() ? "forward secrecy on every suite"
                                           : "forward secrecy not required";
  if (key == "restricted") return "the service refuses this source (" + words(v) + ")";
  if (key == "trust" && v.is_object() && v.contains("ca_file"))
    return "a certificate that chains to " + words(v["ca_file"]);
  auto it = key_table().find(key);
  if (it != key_table().end()) return fmt::format(fmt::runtime(it->second), words(v));
  return spaced(key) + ": " + words(v);  // not in the table: still words, never JSON
}

}  // namespace

std::string describe_expectation(std::string_view probe, std::uint16_t port, const json& expected) {
  if (expected.is_string()) {
    const std::string w = expected.get<std::string>();
    auto it = word_table().find({std::string(probe), w});
    if (it == word_table().end()) return spaced(w);
    return fmt::format(fmt::runtime(it->second), fmt::arg("port", port));
  }
  if (!expected.is_object()) return words(expected);
  std::string out;
  for (const auto& [k, v] : expected.items()) out += (out.empty() ? "" : "; ") + describe_key(k, v);
  return out;
}

std::string expectation_text(const results::CheckResult& r) {
  if (!r.spec || !r.check) return std::string();
  return describe_expectation(r.check->probe, r.check->port, r.spec->expected());
}

std::string fix_text(const results::CheckResult& r) {
  if (r.check && !r.check->fix.empty()) return r.check->fix;
  const std::string id = r.check ? r.check->id : std::string("?");
  const std::string e = expectation_text(r);
  return e.empty() ? fmt::format("Make {} pass.", id) : fmt::format("Make {} pass: {}.", id, e);
}

std::vector<std::string> fix_texts(const results::CheckResult& r) {
  std::vector<std::string> out;
  bool failing = false, unfixed = false;
  for (const auto& f : r.verdict.findings) {
    if (f.info) continue;
    failing = true;
    if (f.fix.empty())
      unfixed = true;
    else if (std::find(out.begin(), out.end(), f.fix) == out.end())
      out.push_back(f.fix);
  }
  // No finding, or one without its own fix: the check's fix covers the rest.
  if (!failing || unfixed) out.push_back(fix_text(r));
  return out;
}

std::vector<FixItem> fixes(const results::RunReport& report) {
  std::vector<FixItem> out;
  for (const auto& s : report.scenarios)
    for (const auto& r : s.results) {
      if (r.verdict.status != results::Status::kFail) continue;
      const std::string sev = r.check ? r.check->severity : std::string();
      const std::string id = r.check ? r.check->id : std::string("?");
      for (std::string text : fix_texts(r)) {
        auto it =
            std::find_if(out.begin(), out.end(), [&](const FixItem& f) { return f.text == text; });
        if (it == out.end()) {
          out.push_back({sev, std::move(text), {id}});
          continue;
        }
        if (results::severity_rank(sev) > results::severity_rank(it->severity)) it->severity = sev;
        if (std::find(it->checks.begin(), it->checks.end(), id) == it->checks.end())
          it->checks.push_back(id);
      }
    }
  std::stable_sort(out.begin(), out.end(), [](const FixItem& a, const FixItem& b) {
    return results::severity_rank(a.severity) > results::severity_rank(b.severity);
  });
  return out;
}

}  // namespace vantage::reports
