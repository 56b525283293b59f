#include "reports/sarif.hpp"

#include <fmt/format.h>

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

json result_of(const std::string& id, int index, const results::ScenarioResult& s,
               const results::CheckResult& r) {
  const auto& c = *r.check;
  const Status st = r.verdict.status;
  json j = {{"ruleId", id}, {"ruleIndex", index}};
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
  std::string text = fmt::format("{}: {}", results::to_string(st), expected_observed(r.verdict));
  if (!r.verdict.message.empty() && r.verdict.message != expected_observed(r.verdict))
    text += " - " + r.verdict.message;
  if (r.observation && !r.observation->error.empty()) text += " (" + r.observation->error + ")";
  text += fmt::format(" [target {}{}]", r.target, r.source.empty() ? "" : ", source " + r.source);
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
  j["message"] = {{"text", xml_safe_text(text)}};
  j["partialFingerprints"] = {
      {"vantageIdentity/v1",
       results::fingerprint(s.name + '\n' + r.target + '\n' + r.source + '\n' + c.id)}};
  j["properties"] = {{"vantageStatus", results::to_string(st)},
                     {"target", r.target},
                     {"source", r.source},
                     {"scenario", s.name}};
  return j;
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
