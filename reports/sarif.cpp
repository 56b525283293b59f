#include "reports/sarif.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "reports/format.hpp"
#include "vantage/version.hpp"

namespace vantage::reports {
namespace {

using results::Status;

const char* level_of(const std::string& severity) {
  const int rank = results::severity_rank(severity);
  if (rank >= results::severity_rank("high") || rank < 0) return "error";
  return rank == results::severity_rank("medium") ? "warning" : "note";
}

// GitHub code scanning orders security results by this (0.0-10.0).
const char* security_severity(const std::string& severity) {
  static const std::map<std::string, const char*> m = {
      {"critical", "9.5"}, {"high", "8.0"}, {"medium", "5.5"}, {"low", "3.0"}, {"info", "0.0"}};
  auto it = m.find(severity);
  return it == m.end() ? "8.0" : it->second;
}

// RFC 3986: everything but unreserved characters and '/' percent-encoded.
std::string uri_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

json artifact_location(const std::string& file) {
  if (!file.empty() && file.front() == '/') return {{"uri", "file://" + uri_path(file)}};
  return {{"uri", uri_path(file)}, {"uriBaseId", "%SRCROOT%"}};
}

std::string rule_id(const results::ScenarioResult& s, const results::CheckCommon& c,
                    const std::map<std::string, int>& id_uses) {
  // Two scenarios may use the same check id for different checks.
  return id_uses.at(c.id) > 1 ? scenario_label(s) + "/" + c.id : c.id;
}

json rule_of(const std::string& id, const results::CheckResult& r) {
  const auto& c = *r.check;
  const std::string expected =
      r.spec ? r.spec->expected().dump(-1, ' ', false, json::error_handler_t::replace) : "";
  const std::string what =
      c.description.empty()
          ? fmt::format("{} check{}: expect {}", c.probe,
                        c.port ? fmt::format(" on port {}", c.port) : std::string(), expected)
          : c.description;
  const std::string fix =
      c.fix.empty()
          ? fmt::format("Change the target so that the {} probe observes {}.", c.probe, expected)
          : c.fix;
  return {{"id", id},
          {"name", c.id},
          {"shortDescription", {{"text", xml_safe_text(what)}}},
          {"fullDescription", {{"text", xml_safe_text(what + " (expected: " + expected + ")")}}},
          {"help", {{"text", xml_safe_text(fix)}}},
          {"defaultConfiguration", {{"level", level_of(c.severity)}}},
          {"properties",
           {{"severity", c.severity},
            {"probe", c.probe},
            {"security-severity", security_severity(c.severity)},
            {"tags", {"security", "vantage"}}}}};
}

// The parts every result of a check shares: rule, location, baseline state,
// suppression. `text` gets the expired waiver's note.
json result_base(const std::string& id, int index, const results::ScenarioResult& s,
                 const results::CheckResult& r, std::string& text) {
  const auto& c = *r.check;
  json j = {{"ruleId", id}, {"ruleIndex", index}};
  const std::string file = c.file.empty() ? s.file : c.file;
  if (!file.empty()) {
    json phys = {{"artifactLocation", artifact_location(file)}};
    if (c.line > 0)
      phys["region"] = {{"startLine", c.line}, {"startColumn", std::max(1, c.column)}};
    j["locations"] = json::array({{{"physicalLocation", phys}}});
  }
  if (r.change) {
    switch (*r.change) {
      case results::Change::kNewFailure:
      case results::Change::kNewCheck: j["baselineState"] = "new"; break;
      case results::Change::kFixed: j["baselineState"] = "updated"; break;
      case results::Change::kStillFailing:
      case results::Change::kStillPassing:
      case results::Change::kNotCompared: j["baselineState"] = "unchanged"; break;
    }
  }
  // An expired waiver suppresses nothing (some dashboards hide any result
  // that has suppressions); the message says it expired.
  if (r.waiver && r.waiver->expired) text += "; " + waiver_text(*r.waiver);
  if (r.waiver && !r.waiver->expired) {
    j["suppressions"] = json::array(
        {{{"kind", "external"},
          {"status", "accepted"},
          {"justification", xml_safe_text(waiver_text(*r.waiver))},
          {"properties", {{"owner", r.waiver->owner}, {"expires", r.waiver->expires}}}}});
  }
  return j;
}

std::string identity(const results::ScenarioResult& s, const results::CheckResult& r) {
  return s.name + '\n' + r.target + '\n' + r.source + '\n' + r.check->id;
}

std::string where(const results::CheckResult& r) {
  return fmt::format(" [target {}{}]", r.target, r.source.empty() ? "" : ", source " + r.source);
}

json properties(const results::ScenarioResult& s, const results::CheckResult& r) {
  return {{"vantageStatus", results::to_string(r.verdict.status)},
          {"target", r.target},
          {"source", r.source},
          {"scenario", s.name}};
}

json finding_json(const results::Finding& f) {
  return {{"kind", f.kind},
          {"item", f.item},
          {"category", f.category},
          {"text", xml_safe_text(f.text)},
          {"fix", xml_safe_text(f.fix)},
          {"info", f.info}};
}

// The check's verdict as one result: a pass, a skip, an error, or a failure
// without findings. Findings it has (advice on a pass) are in its properties.
json result_of(const std::string& id, int index, const results::ScenarioResult& s,
               const results::CheckResult& r) {
  const auto& c = *r.check;
  const Status st = r.verdict.status;
  std::string text = fmt::format("{}: {}", results::to_string(st), expected_observed(r.verdict));
  if (!r.verdict.message.empty() && r.verdict.message != expected_observed(r.verdict))
    text += " - " + r.verdict.message;
  if (r.observation && !r.observation->error.empty()) text += " (" + r.observation->error + ")";
  text += where(r);
  json j = result_base(id, index, s, r, text);
  switch (st) {
    case Status::kFail:
    case Status::kWaived:
      j["kind"] = "fail";
      j["level"] = level_of(c.severity);
      break;
    case Status::kPass: j["kind"] = "pass"; break;
    case Status::kSkip: j["kind"] = "notApplicable"; break;
    case Status::kError: j["kind"] = "open"; break;
  }
  if (st != Status::kFail && st != Status::kWaived) j["level"] = "none";
  j["message"] = {{"text", xml_safe_text(text)}};
  j["partialFingerprints"] = {{"vantageIdentity/v1", results::fingerprint(identity(s, r))}};
  j["properties"] = properties(s, r);
  if (!r.verdict.findings.empty()) {
    json all = json::array();
    for (const auto& f : r.verdict.findings) all.push_back(finding_json(f));
    j["properties"]["findings"] = std::move(all);
  }
  return j;
}

// A failed check's findings, a result each: the failing ones kind "fail" at
// the check's level, advice "informational" (level "none", as the spec asks
// of every kind but fail). Each has its own fingerprint (kind, item,
// category and which occurrence of those it is: never the text, whose
// numbers change from run to run), so a dashboard tracks each finding.
void finding_results(const std::string& id, int index, const results::ScenarioResult& s,
                     const results::CheckResult& r, json& out) {
  std::map<std::string, int> seen;
  for (const auto& f : r.verdict.findings) {
    const std::string key = f.kind + '\n' + f.item + '\n' + f.category;
    const int nth = seen[key]++;
    std::string text = f.text;
    if (!f.fix.empty()) text += " Fix: " + f.fix;
    text += where(r);
    json j = result_base(id, index, s, r, text);
    j["kind"] = f.info ? "informational" : "fail";
    j["level"] = f.info ? "none" : level_of(r.check->severity);
    j["message"] = {{"text", xml_safe_text(text)}};
    j["partialFingerprints"] = {
        {"vantageIdentity/v1",
         results::fingerprint(identity(s, r) + '\n' + key + '\n' + std::to_string(nth))}};
    j["properties"] = properties(s, r);
    j["properties"]["finding"] = finding_json(f);
    out.push_back(std::move(j));
  }
}

bool per_finding(const results::CheckResult& r) {
  if (r.verdict.status != Status::kFail && r.verdict.status != Status::kWaived) return false;
  return std::any_of(r.verdict.findings.begin(), r.verdict.findings.end(),
                     [](const results::Finding& f) { return !f.info; });
}

}  // namespace

std::string render_sarif(const results::RunReport& report) {
  std::map<std::string, int> id_uses;
  for (const auto& s : report.scenarios) {
    std::set<std::string> seen;
    for (const auto& r : s.results)
      if (r.check && seen.insert(r.check->id).second) ++id_uses[r.check->id];
  }
  json rules = json::array(), results = json::array();
  std::map<std::string, int> rule_index;
  for (const auto& s : report.scenarios) {
    for (const auto& r : s.results) {
      if (!r.check) continue;
      const std::string id = rule_id(s, *r.check, id_uses);
      auto [it, added] = rule_index.emplace(id, static_cast<int>(rules.size()));
      if (added) rules.push_back(rule_of(id, r));
      if (per_finding(r))
        finding_results(id, it->second, s, r, results);
      else
        results.push_back(result_of(id, it->second, s, r));
    }
  }
  json notes = json::array();
  for (const auto& w : report.warnings)
    notes.push_back({{"level", "warning"}, {"message", {{"text", xml_safe_text(w)}}}});
  for (const auto& w : report.permission_errors)
    notes.push_back({{"level", "error"}, {"message", {{"text", xml_safe_text(w)}}}});
  json invocation = {{"executionSuccessful", report.permission_errors.empty()},
                     {"exitCode", results::exit_code_for(report)},
                     {"exitCodeDescription", results::exit_reason(report)},
                     {"toolExecutionNotifications", std::move(notes)}};
  if (report.started != results::SystemTime{})
    invocation["startTimeUtc"] = iso8601_utc(report.started);
  json run = {
      {"tool",
       {{"driver", {{"name", "vantage"}, {"version", kVersion}, {"rules", std::move(rules)}}}}},
      {"invocations", json::array({std::move(invocation)})},
      {"originalUriBaseIds",
       {{"%SRCROOT%", {{"description", {{"text", "the working directory of the run"}}}}}}},
      {"results", std::move(results)}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace vantage::reports
