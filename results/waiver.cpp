#include "results/waiver.hpp"

#include <fnmatch.h>

#include <ctime>
#include <regex>

namespace vantage::results {

namespace {

const std::vector<std::string> kKeys = {"check",         "target", "source",
                                        "justification", "owner",  "expires"};

bool valid_date(const std::string& d) {
  static const std::regex kDate("(\\d{4})-(\\d{2})-(\\d{2})");
  std::smatch m;
  if (!std::regex_match(d, m, kDate)) return false;
  const int mo = std::stoi(m[2]), day = std::stoi(m[3]);
  return mo >= 1 && mo <= 12 && day >= 1 && day <= 31;
}

bool matches(const Waiver& w, const CheckResult& r) {
  if (!r.check || r.check->id != w.check) return false;
  if (!w.source.empty() && r.source != w.source) return false;
  return ::fnmatch(w.target.c_str(), r.target.c_str(), 0) == 0 ||
         ::fnmatch(w.target.c_str(), r.target_host.c_str(), 0) == 0;
}

WaiverRef ref_of(const Waiver& w, bool expired) {
  return {w.check, w.justification, w.owner, w.expires, w.file, w.line, expired};
}

}  // namespace

std::vector<Waiver> parse_waivers(const ConfigDoc& doc) {
  Diagnostics diags(doc);
  const json& root = doc.root();
  std::vector<Waiver> out;
  if (!check_keys(root, JsonPath(), {"vantage", "waivers"}, diags)) diags.throw_if_any();
  if (auto v = root.find("vantage"); v == root.end() || *v != 1)
    diags.error(JsonPath() / "vantage", "a waiver file starts with \"vantage\": 1");
  auto list = root.find("waivers");
  if (list == root.end() || !list->is_array()) {
    diags.error(JsonPath() / "waivers", "expected \"waivers\": a list of waiver objects");
    diags.throw_if_any();
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& v = (*list)[i];
    const JsonPath p = JsonPath() / "waivers" / i;
    if (!check_keys(v, p, kKeys, diags)) continue;
    Waiver w;
    w.check = get_string(v, p, "check", diags, true).value_or("");
    w.target = get_string(v, p, "target", diags).value_or("*");
    w.source = get_string(v, p, "source", diags).value_or("");
    // A waiver nobody can answer for, or that never ends, is not a waiver.
    for (auto [key, field] : {std::pair{"justification", &w.justification},
                              std::pair{"owner", &w.owner}, std::pair{"expires", &w.expires}}) {
      *field = get_string(v, p, key, diags, true).value_or("");
      if (v.contains(key) && v[key].is_string() && field->empty())
        diags.error(p / key, std::string("\"") + key + "\" must not be empty");
    }
    if (!w.expires.empty() && !valid_date(w.expires))
      diags.error(p / "expires", "\"expires\" is a date, YYYY-MM-DD, got \"" + w.expires + "\"");
    const auto d = doc.diagnostic(p, "");
    w.file = d.file;
    w.line = d.line;
    out.push_back(std::move(w));
  }
  diags.throw_if_any();
  return out;
}

std::vector<Waiver> load_waivers(const std::string& path) {
  return parse_waivers(ConfigDoc::load(path));
}

std::string utc_today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void apply_waivers(RunReport& report, const std::vector<Waiver>& waivers,
                   const std::string& today) {
  for (const auto& w : waivers) {
    // ISO dates compare as strings.
    const bool expired = w.expires < today;
    int matched = 0, waived = 0, errors = 0;
    for (auto& s : report.scenarios) {
      for (auto& r : s.results) {
        if (!matches(w, r)) continue;
        ++matched;
        if (r.verdict.status == Status::kError) ++errors;  // never hidden
        if (r.verdict.status != Status::kFail || r.waiver) continue;
        r.waiver = ref_of(w, expired);
        if (!expired) {
          r.verdict.status = Status::kWaived;
          ++waived;
        }
      }
    }
    const std::string where = w.file + ":" + std::to_string(w.line) + ": waiver for " + w.check;
    if (expired && matched > 0)
      report.warnings.push_back(where + " expired on " + w.expires +
                                " and no longer waives; renew it or fix the check");
    else if (matched == 0)
      report.warnings.push_back(where + " (target " + w.target +
                                (w.source.empty() ? "" : ", source " + w.source) +
                                ") matches no result; remove it or correct it");
    else if (waived == 0 && !expired)
      report.warnings.push_back(
          where + " waives nothing: " +
          (errors > 0 ? "an error is never waived" : "no matching result failed; remove it"));
  }
}

}  // namespace vantage::results
