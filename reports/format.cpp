#include "reports/format.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <unordered_map>

namespace vantage::reports {
namespace {

std::tm utc_tm(results::SystemTime t, long& millis) {
  using namespace std::chrono;
  auto since = t.time_since_epoch();
  auto secs = floor<seconds>(since);
  millis = static_cast<long>(duration_cast<milliseconds>(since - secs).count());
  std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

// Appends one code point as UTF-8.
void put_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr char32_t kReplacement = 0xFFFD;

}  // namespace

std::string iso8601_utc(results::SystemTime t) {
  long ms = 0;
  std::tm tm = utc_tm(t, ms);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string iso8601_naive(results::SystemTime t) {
  long ms = 0;
  std::tm tm = utc_tm(t, ms);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string decimal_seconds(double seconds, int places) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  // {:.Nf} is fixed notation: no exponent at any magnitude, no grouping.
  return fmt::format("{:.{}f}", seconds, places);
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  if (seconds < 1) return fmt::format("{} ms", static_cast<long>(std::lround(seconds * 1000)));
  if (seconds < 60) return fmt::format("{:.2f} s", seconds);
  long total = std::lround(seconds);
  return fmt::format("{} min {:02} s", total / 60, total % 60);
}

const char* badge(results::Status s) {
  switch (s) {
    case results::Status::kPass: return "PASS";
    case results::Status::kFail: return "FAIL";
    case results::Status::kError: return "ERROR";
    case results::Status::kSkip: return "SKIP";
    case results::Status::kWaived: return "WAIVED";
  }
  return "ERROR";
}

std::string waiver_text(const results::WaiverRef& w) {
  const std::string where = w.file.empty() ? "" : fmt::format(" ({}:{})", w.file, w.line);
  if (w.expired)
    return fmt::format("waiver ({}) expired on {}: the failure stands{}", w.owner, w.expires,
                       where);
  return fmt::format("waived by {} until {}: {}{}", w.owner, w.expires, w.justification, where);
}

namespace {
std::string repair(std::string_view in, bool xml) {
  std::string out;
  out.reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const auto* end = p + in.size();
  while (p < end) {
    unsigned char b = *p;
    char32_t cp = 0;
    int len = 0;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      len = 4;
    }
    bool ok = len > 0 && end - p >= len;
    for (int i = 1; ok && i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80)
        ok = false;
      else
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Reject overlong forms, surrogates and out-of-range values.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      put_utf8(out, kReplacement);
      ++p;  // resynchronise on the next byte
      continue;
    }
    bool allowed =
        !xml || cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
    if (allowed)
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len));
    else
      put_utf8(out, kReplacement);
    p += len;
  }
  return out;
}
}  // namespace

std::string valid_utf8(std::string_view in) {
  return repair(in, false);
}
std::string xml_safe_text(std::string_view in) {
  return repair(in, true);
}

namespace {
// & < > always; quotes too where the text may end up in an attribute.
std::string escaped(std::string_view in, bool quotes) {
  std::string safe = xml_safe_text(in);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += quotes ? "&quot;" : "\""; break;
      case '\'': out += quotes ? "&#39;" : "'"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace

std::string html_escape(std::string_view in) {
  return escaped(in, true);
}

std::string html_text(std::string_view in) {
  return escaped(in, false);
}

std::string scenario_label(const results::ScenarioResult& s) {
  if (!s.name.empty()) return s.name;
  if (!s.file.empty()) {
    auto stem = std::filesystem::path(s.file).filename().string();
    if (!stem.empty()) return stem;
  }
  return "scenario";
}

std::string expected_observed(const results::Verdict& v) {
  if (!v.expected.empty() && !v.observed.empty())
    return fmt::format("expected {}, observed {}", v.expected, v.observed);
  if (!v.message.empty()) return v.message;
  if (!v.expected.empty()) return fmt::format("expected {}, observed nothing", v.expected);
  return "no verdict message";
}

std::vector<TargetGroup> group_by_target(const results::ScenarioResult& s) {
  std::vector<TargetGroup> groups;
  // By name, not by a scan of the groups: a fleet has thousands.
  std::unordered_map<std::string, std::size_t> index;
  auto find = [&](const std::string& name) -> TargetGroup& {
    auto [it, added] = index.try_emplace(name, groups.size());
    if (added) groups.push_back({name, {}, {}});
    return groups[it->second];
  };
  for (const auto& t : s.targets) find(t);
  for (const auto& r : s.results) {
    TargetGroup& g = find(r.target);
    if (g.host.empty()) g.host = r.target_host;
    g.results.push_back(&r);
  }
  return groups;
}

json evidence_of(const results::Observation* obs) {
  if (!obs) return nullptr;
  try {
    return obs->evidence();
  } catch (const std::exception& e) {
    return json{{"evidence_error", e.what()}};
  }
}

std::string fleet_summary(const results::FleetInfo& f) {
  const std::string limit =
      f.limit.empty() ? std::string() : fmt::format(", --limit {}", fmt::join(f.limit, ","));
  if (!f.merged_from.empty())
    return fmt::format("fleet: {} of {} targets of {}{}, merged from {} of {} shard reports",
                       f.selected.size(), f.inventory_targets, f.inventory, limit,
                       f.merged_from.size(), f.shards);
  if (f.shard > 0)
    return fmt::format("fleet: shard {}/{}: {} of the {} targets of {}{}", f.shard, f.shards,
                       f.selected.size(), f.inventory_targets, f.inventory, limit);
  return fmt::format("fleet: {} targets of {}{}", f.inventory_targets, f.inventory, limit);
}

}  // namespace vantage::reports
