#include "reports/html.hpp"

#include <fmt/format.h>

#include "core/plural.hpp"
#include "reports/changes.hpp"
#include "reports/expectation.hpp"
#include "reports/findings.hpp"
#include "reports/format.hpp"
#include "reports/html_matrix.hpp"
#include "reports/matrix.hpp"
#include "vantage/version.hpp"

namespace vantage::reports {
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#1d2125;background:#fff}
h1{font-size:1.6em;margin:0 0 .2em}h2{margin:1.6em 0 .3em}h3{margin:1em 0 .4em;font-weight:600}
small,.meta,.desc{color:#5e6c77}.desc{font-size:.9em}
.summary{margin:1em 0;display:flex;gap:.6em;flex-wrap:wrap}
.pill{padding:.3em .8em;border-radius:1em;font-weight:600;border:1px solid #ccd}
table{border-collapse:collapse;width:100%;margin-bottom:1em}
th,td{text-align:left;vertical-align:top;padding:.4em .6em;border-bottom:1px solid #e3e6e8}
th{background:#f4f5f7}
.badge{display:inline-block;min-width:4.2em;text-align:center;padding:.15em .4em;border-radius:.3em;font-weight:700;color:#fff}
.pass .badge,.pill.pass{background:#1f883d;color:#fff}
.fail .badge,.pill.fail{background:#cf222e;color:#fff}
.error .badge,.pill.error{background:#bc4c00;color:#fff}
.skip .badge,.pill.skip{background:#6e7781;color:#fff}
.waived .badge,.pill.waived{background:#8250df;color:#fff}tr.waived{background:#fbefff}
.change{font-weight:600;color:#cf222e}
tr.fail{background:#ffebe9}tr.error{background:#fff1e5}
pre{background:#f6f8fa;padding:.6em;overflow:auto;max-height:30em;margin:.4em 0}
details summary{cursor:pointer;color:#0969da}
ul.warn li{color:#9a6700}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
#fix{border:2px solid #cf222e;border-radius:.5em;padding:.2em 1.2em;margin:1em 0;background:#fff8f7}
#fix.clean{border-color:#1f883d;background:#f6fff8}#fix h2{margin:.5em 0}
#fix li{margin:.35em 0}.sev{display:inline-block;min-width:5.5em;font-weight:700;color:#cf222e}
.expect{color:#1d2125}.findings{margin:.3em 0}
.mx{max-height:70vh;overflow:auto;border:1px solid #e3e6e8;margin:.5em 0 1em}
#matrix{width:auto;margin:0}#matrix th,#matrix td{padding:.1em .35em;border:1px solid #fff;text-align:center}
#matrix thead th{position:sticky;top:0;vertical-align:bottom;z-index:1}
#matrix thead th span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:600}
#matrix tbody th{text-align:left;white-space:nowrap;font-weight:400;background:#fff}
#matrix td a{display:block;color:#fff;text-decoration:none;font-weight:700;font-size:.8em}
#matrix td.pass{background:#1f883d}#matrix td.fail{background:#cf222e}#matrix td.error{background:#bc4c00}
#matrix td.skip{background:#6e7781}#matrix td.waived{background:#8250df}
#matrix button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;color:#0969da;padding:0}
#matrix th[aria-sort=ascending] button::after{content:" \25B2"}#matrix th[aria-sort=descending] button::after{content:" \25BC"}
:target{outline:2px solid #0969da}
)css";

// The CSP admits exactly this style sheet (no 'unsafe-inline'): its SHA-256,
// base64. reports_html_test recomputes it, so a style edit without a new
// hash fails there (and in Chromium, which would refuse the sheet).
constexpr const char* kStyleHash = "sha256-J8Ij25Noa9bflX102Phf+jvpeYLabU6J2gGLjGC9/i4=";

const char* css_class(results::Status s) {
  return results::to_string(s);
}

std::string pill(int n, std::string_view label, const char* cls) {
  return fmt::format("<span class=\"pill{}\" id=\"count-{}\">{} {}</span>",
                     n > 0 ? std::string(" ") + cls : "", cls, n, label);
}

// What to fix, first: each failed check's fix once, most severe first.
std::string fix_panel(const results::RunReport& report) {
  auto todo = fixes(report);
  if (todo.empty())
    return "<section id=\"fix\" class=\"clean\"><h2>What to fix</h2><p>No check "
           "failed.</p></section>\n";
  std::string out = "<section id=\"fix\"><h2>What to fix</h2>\n<ol>\n";
  for (const auto& f : todo) {
    std::string ids;
    for (const auto& id : f.checks) ids += (ids.empty() ? "" : " ") + id;
    out += "<li data-checks=\"" + html_escape(ids) + "\"><span class=\"sev\">" +
           html_escape(f.severity) + "</span> " + html_escape(f.text) + " <small>(";
    for (std::size_t i = 0; i < f.checks.size(); ++i)
      out += (i ? ", " : "") + std::string("<code>") + html_escape(f.checks[i]) + "</code>";
    out += ")</small></li>\n";
  }
  return out + "</ol>\n</section>\n";
}

// A fleet page stays one file a browser opens: beyond kFullEvidenceTargets
// targets a passing check shows its evidence summary but not its evidence
// record, and a check that did not pass at most kFleetEvidenceBytes of it.
// The JSON report keeps every record whole.
constexpr std::size_t kFullEvidenceTargets = 10;
constexpr std::size_t kFleetEvidenceBytes = 16384;

// The evidence record as the page shows it; cut at a line end on a fleet page.
std::string evidence_text(const results::Observation& o, bool fleet_page) {
  std::string text = evidence_of(&o).dump(2, ' ', false, json::error_handler_t::replace);
  if (fleet_page && text.size() > kFleetEvidenceBytes) {
    const auto cut = text.rfind('\n', kFleetEvidenceBytes);
    text.resize(cut == std::string::npos ? kFleetEvidenceBytes : cut);
    text += fmt::format("\n... (the first {} kB: the whole record is in the JSON report)",
                        kFleetEvidenceBytes / 1024);
  }
  return html_text(text);
}

// `id`: the anchor the fleet matrix links to, on the first row of a target
// and check; empty for the others. `fleet_page`: see kFullEvidenceTargets.
std::string row(const results::CheckResult& r, const std::string& id, bool fleet_page) {
  const auto* c = r.check;
  std::string out = fmt::format(
      "<tr{} class=\"{}\" data-check=\"{}\">", id.empty() ? std::string() : " id=\"" + id + "\"",
      css_class(r.verdict.status), html_escape(c ? c->id : std::string("?")));
  out += fmt::format("<td><span class=\"badge\">{}</span></td>", badge(r.verdict.status));
  out += "<td><code>" + html_escape(c ? c->id : std::string("?")) + "</code>";
  if (c && !c->description.empty())
    out += "<div class=\"desc\">" + html_escape(c->description) + "</div>";
  out += "</td><td>";
  if (r.source.empty()) {
    out += "&mdash;";
  } else {
    out += html_escape(r.source);
    if (!r.source_desc.empty() && r.source_desc != r.source)
      out += "<div class=\"desc\">" + html_escape(r.source_desc) + "</div>";
  }
  out += "</td><td>";
  if (c) out += html_escape(c->probe) + (c->port ? fmt::format(" {}", c->port) : std::string());
  out += "</td><td>" + html_escape(c ? c->severity : std::string()) + "</td>";
  // The expectation in words, then what was seen: never the raw JSON.
  const std::string expect = expectation_text(r);
  out += "<td>";
  if (!expect.empty())
    out += "<div class=\"expect\"><strong>expected:</strong> " + html_escape(expect) + "</div>";
  if (!r.verdict.observed.empty())
    out += "<div><strong>observed:</strong> " + html_escape(r.verdict.observed) + "</div>";
  if (expect.empty() && r.verdict.observed.empty())
    out += html_escape(expected_observed(r.verdict));
  if (r.change)
    out += " <span class=\"change\">[" + html_escape(results::to_string(*r.change)) + "]</span>";
  if (r.waiver) out += "<div><strong>" + html_escape(waiver_text(*r.waiver)) + "</strong></div>";
  if (any_failing(r.verdict.findings)) {
    // The findings, by kind, then each one: the message would list them again.
    out +=
        "<div class=\"findings\">" + html_escape(collapse_findings(r.verdict.findings)) + "</div>";
  } else if (!r.verdict.message.empty() && r.verdict.message != expected_observed(r.verdict)) {
    out += "<div>" + html_escape(r.verdict.message) + "</div>";
  }
  if (!r.verdict.findings.empty()) {
    out += "<details><summary>" + counted(r.verdict.findings.size(), "finding") + "</summary><ul>";
    for (const auto& f : r.verdict.findings) out += "<li>" + html_escape(finding_line(f)) + "</li>";
    out += "</ul></details>";
  }
  if (const auto* o = r.observation.get()) {
    if (!o->error.empty())
      out += "<div><strong>error:</strong> " + html_escape(o->error) + "</div>";
    for (const auto& w : o->warnings)
      out += "<div class=\"desc\">warning: " + html_escape(w) + "</div>";
    out += "<details><summary>evidence";
    if (!o->summary.empty()) out += ": " + html_escape(o->summary);
    out += "</summary>";
    if (!o->local_address.empty())
      out += "<div class=\"desc\">local address " + html_escape(o->local_address) + "</div>";
    if (!fleet_page || r.verdict.status != results::Status::kPass)
      out += "<pre>" + evidence_text(*o, fleet_page) + "</pre>";
    out += "</details>";
  }
  out += fmt::format("</td><td>{}</td></tr>\n", html_escape(human_duration(r.elapsed.count())));
  return out;
}

}  // namespace

std::string render_html(const results::RunReport& report) {
  auto c = report.counts();
  const Matrix matrix = fleet_matrix(report);
  const std::string fleet = matrix_section(matrix);
  // A script only with the matrix, and only the one the hash admits.
  const std::string script_src =
      fleet.empty() ? std::string() : "; script-src '" + std::string(kMatrixScriptHash) + "'";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src '" +
      std::string(kStyleHash) + "'" + script_src +
      "; base-uri 'none'; form-action 'none'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  std::string title = "vantage report";
  if (report.scenarios.size() == 1) title += ": " + scenario_label(report.scenarios[0]);
  out +=
      "<title>" + html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + html_escape(title) + "</h1>\n";
  out += fmt::format("<p class=\"meta\">vantage {} &middot; started {} &middot; took {}</p>\n",
                     html_escape(kVersion), html_escape(iso8601_utc(report.started)),
                     html_escape(human_duration(report.elapsed.count())));
  out += fmt::format(
      "<div class=\"summary\"><span class=\"pill\" id=\"count-total\">{}"
      "</span>{}{}{}{}{}</div>\n",
      counted(c.total(), "check"), pill(c.pass, "passed", "pass"), pill(c.fail, "failed", "fail"),
      pill(c.error, c.error == 1 ? "error" : "errors", "error"), pill(c.skip, "skipped", "skip"),
      c.waived ? pill(c.waived, "waived", "waived") : std::string());
  if (report.fleet)
    out += "<p class=\"meta\">" + html_escape(fleet_summary(*report.fleet)) + "</p>\n";
  out += "<p class=\"meta\">" + html_escape(results::exit_reason(report)) + "</p>\n";
  out += fleet;
  const bool fleet_page = matrix.targets.size() > kFullEvidenceTargets;
  if (fleet_page)
    out += fmt::format(
        "<p class=\"meta\">{} targets: a passing check shows the summary of its evidence, a "
        "check that did not pass up to {} kB of its record; every record is whole in the JSON "
        "report.</p>\n",
        matrix.targets.size(), kFleetEvidenceBytes / 1024);
  out += fix_panel(report);
  if (report.baseline)
    out += "<h2>Changes</h2>\n<pre>" +
           html_escape(render_changes(diff_of(report), report.baseline->file)) + "</pre>\n";
  if (!report.artifacts.empty()) {
    out += "<h2>Artifacts</h2>\n<ul>\n";
    for (const auto& a : report.artifacts)
      out += "<li>" + html_escape(a.kind) + ": <code>" + html_escape(a.path) + "</code></li>\n";
    out += "</ul>\n";
  }
  if (!report.warnings.empty() || !report.permission_errors.empty()) {
    out += "<h2>Warnings</h2>\n<ul class=\"warn\">\n";
    for (const auto& w : report.permission_errors)
      out += "<li>missing permission: " + html_escape(w) + "</li>\n";
    for (const auto& w : report.warnings) out += "<li>" + html_escape(w) + "</li>\n";
    out += "</ul>\n";
  }
  // The matrix's anchors: each target's first heading, each target and
  // check's first row.
  std::vector<bool> target_seen(matrix.targets.size());
  std::vector<std::vector<bool>> cell_seen(matrix.targets.size(),
                                           std::vector<bool>(matrix.checks.size()));
  for (const auto& s : report.scenarios) {
    out += "<section>\n<h2>" + html_escape(scenario_label(s));
    if (!s.file.empty()) out += " <small>" + html_escape(s.file) + "</small>";
    out += "</h2>\n";
    for (const auto& g : group_by_target(s)) {
      auto gc = results::count(g.results);
      const auto ti = matrix.target_index.at(g.name);
      const bool anchors = !fleet.empty();
      out += anchors && !target_seen[ti] ? "<h3 id=\"" + target_anchor(ti) + "\">" : "<h3>";
      target_seen[ti] = true;
      out += html_escape(g.name);
      if (!g.host.empty() && g.host != g.name) out += " <small>" + html_escape(g.host) + "</small>";
      out += fmt::format(" <small>{} passed, {} failed, {} errors, {} skipped{}</small></h3>\n",
                         gc.pass, gc.fail, gc.error, gc.skip,
                         gc.waived ? fmt::format(", {} waived", gc.waived) : std::string());
      out +=
          "<table>\n<thead><tr><th>Status</th><th>Check</th><th>Source</th><th>Probe</th>"
          "<th>Severity</th><th>Verdict and evidence</th><th>Time</th></tr></thead>\n<tbody>\n";
      for (const auto* r : g.results) {
        const auto ci = matrix.check_index.at(check_id(*r));
        const bool first = anchors && !cell_seen[ti][ci];
        cell_seen[ti][ci] = true;
        out += row(*r, first ? cell_anchor(ti, ci) : std::string(), fleet_page);
      }
      out += "</tbody>\n</table>\n";
    }
    out += "</section>\n";
  }
  if (!fleet.empty()) out += "<script>" + std::string(kMatrixScript) + "</script>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace vantage::reports
