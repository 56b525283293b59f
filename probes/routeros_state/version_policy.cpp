#include "probes/routeros_state/version_policy.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <regex>
#include <utility>

#include "core/decimal.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"

namespace vantage::probes {

namespace {

using Train = std::pair<long, long>;

// The train of a parsable version: its first two numbers ("7.23.4" -> 7.23,
// "7.25rc1" -> 7.25, "7" -> 7.0).
Train train_of(const std::string& v) {
  Train t{0, 0};
  std::size_t i = 0;
  auto number = [&](long& out) {
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
      if (!push_digit(out, v[i++], 999'999'999)) out = 999'999'999;
  };
  number(t.first);
  if (i < v.size() && v[i] == '.') {
    ++i;
    number(t.second);
  }
  return t;
}

bool is_version(const std::string& v) {
  return !v.empty() && compare_versions(v, v).has_value();
}

// A version key: a located error when it is not a RouterOS version.
std::optional<std::string> get_version(const json& obj, const JsonPath& path, const char* key,
                                       Diagnostics& diags, const char* example) {
  auto v = get_string(obj, path, key, diags);
  if (v && !is_version(*v)) {
    diags.error(path / key,
                fmt::format("\"{}\" is not a RouterOS version; write e.g. \"{}\"", *v, example));
    return std::nullopt;
  }
  return v;
}

std::optional<KnownFix> parse_fix(const json& e, const JsonPath& at, Diagnostics& diags) {
  static const std::vector<std::string> kKeys = {"cve",        "summary",    "fixed_in",
                                                 "introduced", "confidence", "source"};
  if (!check_keys(e, at, kKeys, diags)) return std::nullopt;
  const std::size_t before = diags.size();
  KnownFix f;
  static const std::regex kCve("CVE-[0-9]{4}-[0-9]{4,}");
  if (auto c = get_string(e, at, "cve", diags, true)) {
    if (!std::regex_match(*c, kCve))
      diags.error(at / "cve", "\"" + *c + "\" is not a CVE id; write e.g. \"CVE-2023-41570\"");
    f.cve = *c;
  }
  if (auto s = get_string(e, at, "summary", diags, true)) {
    if (s->empty()) diags.error(at / "summary", "write one line on what the flaw lets whom do");
    f.summary = *s;
  }
  if (auto list = get_string_list(e, at, "fixed_in", diags, true)) {
    if (list->empty())
      diags.error(at / "fixed_in",
                  "list the first fixed release of each train, e.g. [\"6.49.21\", \"7.23.4\"]");
    std::map<Train, std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string& v = (*list)[i];
      const JsonPath vp = e["fixed_in"].is_array() ? at / "fixed_in" / i : at / "fixed_in";
      if (!is_version(v)) {
        diags.error(vp, "\"" + v + "\" is not a RouterOS version; write e.g. \"7.23.4\"");
        continue;
      }
      const Train t = train_of(v);
      if (auto [it, fresh] = seen.emplace(t, v); !fresh)
        diags.error(vp, fmt::format("\"{}\" and \"{}\" are both on train {}.{}: give one fixed "
                                    "release per train, the first with the fix",
                                    it->second, v, t.first, t.second));
      f.fixed_in.push_back(v);
    }
  }
  if (auto v = get_version(e, at, "introduced", diags, "7.20")) f.introduced = *v;
  if (auto c = get_string(e, at, "confidence", diags)) {
    if (*c != "high" && *c != "medium" && *c != "low")
      diags.error(at / "confidence", "\"" + *c + "\": write high, medium or low");
    f.confidence = *c;
  }
  if (auto src = get_string_list(e, at, "source", diags, true)) {
    if (src->empty())
      diags.error(at / "source", "cite the CVE record or the vendor advisory (an https URL)");
    for (std::size_t i = 0; i < src->size(); ++i)
      if (!(*src)[i].starts_with("https://"))
        diags.error(e["source"].is_array() ? at / "source" / i : at / "source",
                    "\"" + (*src)[i] +
                        "\" is not an https URL; cite the CVE record or the "
                        "vendor advisory, e.g. \"https://www.cve.org/...\"");
    f.sources = *src;
  }
  if (diags.size() != before) return std::nullopt;
  return f;
}

}  // namespace

VersionPolicy parse_version_policy(const ConfigDoc& doc) {
  Diagnostics diags(doc);
  const json& root = doc.root();
  const JsonPath top;
  VersionPolicy p;
  if (!check_keys(root, top, {"vantage_routeros_versions", "minimum", "notes", "fixed"}, diags))
    diags.throw_if_any();
  get_int(root, top, "vantage_routeros_versions", diags, 1, 1, true);
  if (auto m = get_version(root, top, "minimum", diags, "7.24.5")) p.minimum = *m;
  get_string(root, top, "notes", diags);
  if (root.contains("fixed")) {
    const json& list = root["fixed"];
    if (!list.is_array()) {
      diags.error(top / "fixed",
                  "expected a list of {\"cve\", \"summary\", \"fixed_in\", \"source\"} objects, "
                  "found " +
                      type_name(list));
    } else {
      std::map<std::string, std::size_t> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        auto f = parse_fix(list[i], top / "fixed" / i, diags);
        if (!f) continue;
        if (auto [it, fresh] = ids.emplace(f->cve, i); !fresh)
          diags.error(top / "fixed" / i / "cve",
                      fmt::format("{} is listed twice (also fixed[{}]): merge the two entries",
                                  f->cve, it->second));
        p.fixed.push_back(std::move(*f));
      }
    }
  }
  if (p.minimum.empty() && p.fixed.empty() && diags.empty())
    diags.error(top,
                "the policy gives neither \"minimum\" nor \"fixed\"; add e.g. "
                "\"minimum\": \"7.24.5\"");
  diags.throw_if_any();
  return p;
}

VersionPolicy load_version_policy(const std::filesystem::path& file) {
  return parse_version_policy(ConfigDoc::load(file.string()));
}

std::optional<std::string> needed_fix(const KnownFix& fix, const std::string& version) {
  const std::string v = version.substr(0, version.find(' '));  // "7.12.1 (stable)"
  if (!is_version(v)) return std::nullopt;
  if (auto c = compare_versions(v, fix.introduced); !fix.introduced.empty() && c && *c < 0)
    return std::nullopt;
  const Train own = train_of(v);
  const std::string* applies = nullptr;
  for (const auto& f : fix.fixed_in)
    if (train_of(f) >= own && (!applies || train_of(f) < train_of(*applies))) applies = &f;
  if (!applies) return std::nullopt;  // a train newer than every listed one
  auto c = compare_versions(v, *applies);
  return c && *c < 0 ? std::optional(*applies) : std::nullopt;
}

}  // namespace vantage::probes
