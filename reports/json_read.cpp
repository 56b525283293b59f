#include "reports/json_read.hpp"

#include <ctime>

#include "reports/json_report.hpp"

namespace vantage::reports {

namespace {

// The check's expectation as recorded; judge() is never called on a report
// read back (its verdict is recorded), and would say so.
class RecordedSpec : public results::CheckSpec {
 public:
  explicit RecordedSpec(json expected) : expected_(std::move(expected)) {}
  results::Verdict judge(const results::Observation&) const override {
    return results::unobserved("recorded", "a recorded check is not judged again");
  }
  json expected() const override { return expected_; }

 private:
  json expected_;
};

class RecordedObservation : public results::Observation {
 public:
  explicit RecordedObservation(json evidence) : evidence_(std::move(evidence)) {}
  json evidence() const override { return evidence_; }

 private:
  json evidence_;
};

std::string str(const json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::vector<std::string> strs(const json& o, const char* k) {
  std::vector<std::string> out;
  auto it = o.find(k);
  if (it == o.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}
int integer(const json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
}
double number(const json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_number() ? it->get<double>() : 0.0;
}
const json& member(const json& o, const char* k) {
  static const json kNull;
  auto it = o.find(k);
  return it != o.end() ? *it : kNull;
}

// "2026-11-25T15:04:05.123Z", as iso8601_utc writes it; epoch otherwise.
results::SystemTime time_of(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  if (s.size() < 20 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(::timegm(&tm)) + std::chrono::milliseconds(ms);
}

results::Status status_of(const std::string& s) {
  for (auto st : {results::Status::kPass, results::Status::kFail, results::Status::kError,
                  results::Status::kSkip, results::Status::kWaived})
    if (s == results::to_string(st)) return st;
  return results::Status::kError;
}

std::optional<results::Change> change_of(const json& v) {
  if (!v.is_string()) return std::nullopt;
  for (auto c :
       {results::Change::kNewFailure, results::Change::kFixed, results::Change::kStillFailing,
        results::Change::kStillPassing, results::Change::kNewCheck, results::Change::kNotCompared})
    if (v.get<std::string>() == results::to_string(c)) return c;
  return std::nullopt;
}

results::CheckResult check_of(const json& c, const std::string& target, const std::string& host,
                              ReadReport& out) {
  auto common = std::make_unique<results::CheckCommon>();
  common->id = str(c, "id");
  common->probe = str(c, "probe");
  common->port = static_cast<std::uint16_t>(integer(c, "port"));
  common->severity = str(c, "severity");
  common->description = str(c, "description");
  common->fix = str(c, "fix");
  common->fingerprint = str(c, "fingerprint");
  if (const json& loc = member(c, "location"); loc.is_object()) {
    common->file = str(loc, "file");
    common->line = integer(loc, "line");
    common->column = integer(loc, "column");
  }
  if (!str(c, "source").empty()) common->from = {str(c, "source")};
  results::CheckResult r;
  r.check = common.get();
  out.checks.push_back(std::move(common));
  r.target = target;
  r.target_host = host;
  r.source = str(c, "source");
  r.source_desc = str(c, "source_desc");
  r.started = time_of(str(c, "started"));
  r.elapsed = std::chrono::duration<double>(number(c, "elapsed_s"));
  if (const json& e = member(c, "expected"); !e.is_null())
    r.spec = std::make_shared<RecordedSpec>(e);
  const json& v = member(c, "verdict");
  r.verdict.status = status_of(str(v, "status"));
  r.verdict.message = str(v, "message");
  r.verdict.expected = str(v, "expected");
  r.verdict.observed = str(v, "observed");
  for (const auto& f : member(v, "findings").is_array() ? member(v, "findings") : json::array())
    r.verdict.findings.push_back({str(f, "kind"), str(f, "item"), str(f, "category"),
                                  str(f, "text"), str(f, "fix"),
                                  member(f, "info").is_boolean() && f["info"].get<bool>()});
  if (const json& w = member(c, "waiver"); w.is_object()) {
    results::WaiverRef ref;
    ref.check = r.check->id;
    ref.justification = str(w, "justification");
    ref.owner = str(w, "owner");
    ref.expires = str(w, "expires");
    ref.expired = member(w, "expired").is_boolean() && w["expired"].get<bool>();
    ref.file = str(w, "file");
    ref.line = integer(w, "line");
    r.waiver = ref;
  }
  r.change = change_of(member(c, "baseline"));
  if (const json& o = member(c, "observation"); o.is_object()) {
    auto obs = std::make_shared<RecordedObservation>(member(o, "evidence"));
    obs->summary = str(o, "summary");
    obs->local_address = str(o, "local_address");
    obs->warnings = strs(o, "warnings");
    obs->unknowns = strs(o, "unknowns");
    obs->error = str(o, "error");
    r.observation = std::move(obs);
  }
  return r;
}

std::optional<results::FleetInfo> fleet_of(const json& f) {
  if (!f.is_object()) return std::nullopt;
  results::FleetInfo info;
  const json& inv = member(f, "inventory");
  info.inventory = str(inv, "file");
  info.inventory_targets = integer(inv, "targets");
  info.targets_fingerprint = str(inv, "fingerprint");
  info.limit = strs(f, "limit");
  if (const json& s = member(f, "shard"); s.is_object()) {
    info.shard = integer(s, "index");
    info.shards = integer(s, "count");
  } else {
    info.shards = integer(f, "shards");
  }
  info.scenario_fingerprint = str(f, "scenario_fingerprint");
  for (const auto& t : member(f, "selected").is_array() ? member(f, "selected") : json::array())
    info.selected.push_back({str(t, "name"), integer(t, "index")});
  info.merged_from = strs(f, "merged_from");
  for (const auto& k :
       member(f, "missing_shards").is_array() ? member(f, "missing_shards") : json::array())
    if (k.is_number_integer()) info.missing_shards.push_back(k.get<int>());
  return info;
}

}  // namespace

ReadReport read_json_report(const ConfigDoc& doc) {
  Diagnostics diags(doc);
  const json& root = doc.root();
  if (!root.is_object() || root.value("format", "") != "vantage-report") {
    diags.error(JsonPath(),
                "not a vantage JSON report (\"format\": \"vantage-report\"); give "
                "the --json report (report.json) of a run");
    diags.throw_if_any();
  }
  if (integer(root, "version") != kJsonReportVersion)
    diags.error(JsonPath() / "version", "report version " + member(root, "version").dump() +
                                            "; this vantage reads version " +
                                            std::to_string(kJsonReportVersion));
  diags.throw_if_any();
  ReadReport out;
  out.file = doc.file();
  auto& rep = out.report;
  rep.started = time_of(str(root, "started"));
  rep.elapsed = std::chrono::duration<double>(number(root, "elapsed_s"));
  for (const auto& sc : member(root, "scenarios").is_array() ? root["scenarios"] : json::array()) {
    results::ScenarioResult s;
    s.file = str(sc, "file");
    s.name = str(sc, "name");
    s.fingerprint = str(sc, "fingerprint");
    for (const auto& t : member(sc, "targets").is_array() ? sc["targets"] : json::array()) {
      const std::string name = str(t, "name"), host = str(t, "host");
      s.targets.push_back(name);
      for (const auto& c : member(t, "checks").is_array() ? t["checks"] : json::array())
        s.results.push_back(check_of(c, name, host, out));
    }
    rep.scenarios.push_back(std::move(s));
  }
  for (const auto& a : member(root, "artifacts").is_array() ? root["artifacts"] : json::array())
    rep.artifacts.push_back({str(a, "kind"), str(a, "path")});
  rep.warnings = strs(root, "warnings");
  rep.permission_errors = strs(root, "permission_errors");
  const json& gate = member(root, "gate");
  rep.gate.fail_on = str(gate, "fail_on");
  rep.gate.fail_on_new =
      member(gate, "fail_on_new").is_boolean() && gate["fail_on_new"].get<bool>();
  if (const json& b = member(root, "baseline"); b.is_object()) {
    results::BaselineInfo info;
    info.file = str(b, "file");
    for (const auto& g : member(b, "gone").is_array() ? b["gone"] : json::array())
      info.gone.push_back({str(g, "scenario"), str(g, "target"), str(g, "source"), str(g, "id"),
                           status_of(str(g, "status"))});
    info.version_notes = strs(b, "notes");
    rep.baseline = std::move(info);
  }
  rep.fleet = fleet_of(member(root, "fleet"));
  return out;
}

ReadReport load_json_report(const std::string& path) {
  return read_json_report(ConfigDoc::load(path));
}

}  // namespace vantage::reports
