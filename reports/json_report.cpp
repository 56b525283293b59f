#include "reports/json_report.hpp"

#include "reports/format.hpp"
#include "vantage/version.hpp"

namespace vantage::reports {
namespace {

json counts_json(const results::Counts& c) {
  return {{"total", c.total()}, {"pass", c.pass}, {"fail", c.fail},
          {"error", c.error},   {"skip", c.skip}, {"waived", c.waived}};
}

// Present only on a fleet run (--inventory) and on a merge.
json fleet_json(const results::FleetInfo& f) {
  json selected = json::array();
  for (const auto& t : f.selected) selected.push_back({{"name", t.name}, {"index", t.index}});
  return {{"inventory",
           {{"file", f.inventory},
            {"targets", f.inventory_targets},
            {"fingerprint", f.targets_fingerprint}}},
          {"limit", f.limit},
          {"shard", f.shard > 0 ? json{{"index", f.shard}, {"count", f.shards}} : json(nullptr)},
          {"shards", f.shards},
          {"scenario_fingerprint", f.scenario_fingerprint},
          {"selected", std::move(selected)},
          {"merged_from", f.merged_from},
          {"missing_shards", f.missing_shards}};
}

json check_json(const results::CheckResult& r) {
  json j = json::object();
  const auto* c = r.check;
  j["id"] = c ? json(c->id) : json(nullptr);
  j["probe"] = c ? json(c->probe) : json(nullptr);
  j["port"] = c && c->port ? json(c->port) : json(nullptr);
  j["severity"] = c ? json(c->severity) : json(nullptr);
  j["description"] = c ? json(c->description) : json(nullptr);
  j["fix"] = c && !c->fix.empty() ? json(c->fix) : json(nullptr);
  j["fingerprint"] = c && !c->fingerprint.empty() ? json(c->fingerprint) : json(nullptr);
  j["location"] = c && c->line > 0
                      ? json{{"file", c->file}, {"line", c->line}, {"column", c->column}}
                      : json(nullptr);
  j["source"] = r.source.empty() ? json(nullptr) : json(r.source);
  j["source_desc"] = r.source_desc.empty() ? json(nullptr) : json(r.source_desc);
  j["started"] = r.started == results::SystemTime{} ? json(nullptr) : json(iso8601_utc(r.started));
  j["elapsed_s"] = r.elapsed.count();
  j["expected"] = r.spec ? r.spec->expected() : json(nullptr);
  json findings = json::array();
  for (const auto& f : r.verdict.findings)
    findings.push_back({{"kind", f.kind},
                        {"item", f.item.empty() ? json(nullptr) : json(f.item)},
                        {"category", f.category.empty() ? json(nullptr) : json(f.category)},
                        {"text", f.text},
                        {"fix", f.fix.empty() ? json(nullptr) : json(f.fix)},
                        {"info", f.info}});
  j["verdict"] = {{"status", results::to_string(r.verdict.status)},
                  {"message", r.verdict.message},
                  {"expected", r.verdict.expected},
                  {"observed", r.verdict.observed},
                  {"findings", std::move(findings)}};
  // A waived failure keeps its verdict's words; the waiver says who accepted it.
  if (const auto& w = r.waiver)
    j["waiver"] = {{"justification", w->justification},
                   {"owner", w->owner},
                   {"expires", w->expires},
                   {"expired", w->expired},
                   {"file", w->file},
                   {"line", w->line}};
  else
    j["waiver"] = nullptr;
  j["baseline"] = r.change ? json(results::to_string(*r.change)) : json(nullptr);
  if (const auto* o = r.observation.get()) {
    j["observation"] = {{"summary", o->summary},   {"local_address", o->local_address},
                        {"warnings", o->warnings}, {"unknowns", o->unknowns},
                        {"error", o->error},       {"evidence", evidence_of(o)}};
  } else {
    j["observation"] = nullptr;
  }
  return j;
}

// The report as one tree; with `checks` false every target's "checks" is
// left empty (render_json_text fills them in as text).
json report_tree(const results::RunReport& report, bool checks_too) {
  json root = json::object();
  root["format"] = "vantage-report";
  root["version"] = kJsonReportVersion;
  root["vantage_version"] = kVersion;
  root["started"] = iso8601_utc(report.started);
  root["elapsed_s"] = report.elapsed.count();
  root["counts"] = counts_json(report.counts());
  json scenarios = json::array();
  for (const auto& s : report.scenarios) {
    json targets = json::array();
    for (const auto& g : group_by_target(s)) {
      json checks = json::array();
      if (checks_too)
        for (const auto* r : g.results) checks.push_back(check_json(*r));
      targets.push_back({{"name", g.name},
                         {"host", g.host.empty() ? json(nullptr) : json(g.host)},
                         {"counts", counts_json(results::count(g.results))},
                         {"checks", std::move(checks)}});
    }
    scenarios.push_back({{"file", s.file},
                         {"name", s.name},
                         {"fingerprint", s.fingerprint},
                         {"counts", counts_json(results::count(s.results))},
                         {"targets", std::move(targets)}});
  }
  root["scenarios"] = std::move(scenarios);
  json artifacts = json::array();
  for (const auto& a : report.artifacts) artifacts.push_back({{"kind", a.kind}, {"path", a.path}});
  root["artifacts"] = std::move(artifacts);
  root["warnings"] = report.warnings;
  root["permission_errors"] = report.permission_errors;
  root["gate"] = {
      {"fail_on", report.gate.fail_on.empty() ? json(nullptr) : json(report.gate.fail_on)},
      {"fail_on_new", report.gate.fail_on_new},
      {"exit_code", results::exit_code_for(report)},
      {"reason", results::exit_reason(report)}};
  if (const auto& b = report.baseline) {
    json gone = json::array();
    for (const auto& g : b->gone)
      gone.push_back({{"scenario", g.scenario},
                      {"target", g.target},
                      {"source", g.source.empty() ? json(nullptr) : json(g.source)},
                      {"id", g.check},
                      {"status", results::to_string(g.status)}});
    root["baseline"] = {{"file", b->file}, {"gone", std::move(gone)}, {"notes", b->version_notes}};
  } else {
    root["baseline"] = nullptr;
  }
  if (report.fleet) root["fleet"] = fleet_json(*report.fleet);
  return root;
}

std::string dumped(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace

json render_json(const results::RunReport& report) {
  return report_tree(report, true);
}

// The checks, nearly all of a fleet's report, are dumped one at a time into
// the text of the tree without them: the whole report as one tree took about
// twice its text's size at the run's peak memory. The bytes are the tree's
// dump's (a test compares them). Each target's "checks" key is its first
// (keys sort), 10 spaces deep; a raw newline occurs in a dump only between
// tokens, so the pattern below never matches inside a string.
void write_json_text(const results::RunReport& report,
                     const std::function<void(std::string_view)>& sink) {
  const std::string skeleton = dumped(report_tree(report, false));
  const std::string key = "\n" + std::string(10, ' ') + "\"checks\": []";
  const std::string item_indent(12, ' ');
  constexpr std::size_t kPiece = 1 << 20;
  std::string out;
  auto flush = [&](bool always) {
    if (!always && out.size() < kPiece) return;
    sink(out);
    out.clear();
  };
  auto whole_tree = [&] {  // a skeleton this code does not expect: the plain dump
    sink(dumped(render_json(report)) + "\n");
  };
  // Found before anything is handed on, so that the fallback writes alone.
  std::vector<std::size_t> hits;
  std::size_t at = 0;
  for (const auto& s : report.scenarios)
    for (std::size_t i = 0, n = group_by_target(s).size(); i < n; ++i) {
      const auto hit = skeleton.find(key, at);
      if (hit == std::string::npos) return whole_tree();
      hits.push_back(hit);
      at = hit + key.size();
    }
  if (skeleton.find(key, at) != std::string::npos) return whole_tree();
  at = 0;
  std::size_t next = 0;
  for (const auto& s : report.scenarios) {
    for (const auto& g : group_by_target(s)) {
      const auto hit = hits[next++];
      out.append(skeleton, at, hit + key.size() - 1 - at);  // through the '['
      for (std::size_t i = 0; i < g.results.size(); ++i) {
        out += i ? ",\n" : "\n";
        out += item_indent;
        const std::string text = dumped(check_json(*g.results[i]));
        std::size_t from = 0;  // line by line: an analysis report's check is megabytes
        for (std::size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
          out.append(text, from, nl + 1 - from);
          out += item_indent;
          flush(false);
        }
        out.append(text, from);
        flush(false);
      }
      if (!g.results.empty()) out += "\n" + std::string(10, ' ');
      out += ']';
      at = hit + key.size();
    }
  }
  out.append(skeleton, at);
  out += "\n";
  flush(true);
}

std::string render_json_text(const results::RunReport& report) {
  std::string text;
  write_json_text(report, [&text](std::string_view piece) { text.append(piece); });
  return text;
}

}  // namespace vantage::reports
