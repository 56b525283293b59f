#include "reports/console.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/plural.hpp"
#include "core/text.hpp"
#include "reports/changes.hpp"
#include "reports/expectation.hpp"
#include "reports/findings.hpp"
#include "reports/format.hpp"
#include "vantage/version.hpp"

namespace vantage::reports {
namespace {

struct Palette {
  bool on;
  std::string paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

const char* status_color(results::Status s) {
  switch (s) {
    case results::Status::kPass: return "32";     // green
    case results::Status::kFail: return "1;31";   // bold red
    case results::Status::kError: return "1;33";  // bold yellow
    case results::Status::kSkip: return "36";     // cyan
    case results::Status::kWaived: return "35";   // magenta: not green, never a pass
  }
  return "1;33";
}

// Display width in code points (good enough for alignment of ids and names).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(std::string_view s, std::size_t w) {
  std::string out(s);
  std::size_t n = width(s);
  if (n < w) out.append(w - n, ' ');
  return out;
}

std::string verdict_text(const results::CheckResult& r) {
  const auto& v = r.verdict;
  // Many findings make one long sentence: the line says them by kind, and
  // -v lists each below it.
  if (any_failing(v.findings)) return collapse_findings(v.findings);
  // A structured expectation ({"accept": [...]}) makes a poor one-liner: when
  // there is a message, it says the finding better.
  auto one_liner = [](const std::string& t) {
    return t.size() <= 40 && t.find_first_of("{[") == std::string::npos;
  };
  bool short_form = one_liner(v.expected) && one_liner(v.observed);
  std::string eo = (!v.expected.empty() && !v.observed.empty() && (short_form || v.message.empty()))
                       ? fmt::format("expected {}, observed {}", v.expected, v.observed)
                       : std::string();
  std::string msg = v.message;
  // An error line says why nothing could be observed.
  if (r.observation && !r.observation->error.empty() &&
      msg.find(r.observation->error) == std::string::npos)
    msg = msg.empty() ? r.observation->error : msg + " (" + r.observation->error + ")";
  if (eo.empty()) return msg.empty() ? std::string("no verdict message") : msg;
  if (msg.empty() || msg == eo) return eo;
  if (msg.rfind(eo, 0) == 0) return msg;  // the message already starts with it
  return eo + " - " + msg;
}

struct Row {
  const results::CheckResult* r;
  std::string id, target, source, text;
};

}  // namespace

std::string render_console(const results::RunReport& report, bool color, bool verbose) {
  Palette p{color};
  // The change's own effect comes first: that is what a post-change run is for.
  std::string out = report.baseline ? render_changes(diff_of(report), report.baseline->file) + "\n"
                                    : std::string();

  std::size_t w_id = 0, w_target = 0, w_source = 0;
  std::vector<std::vector<Row>> per_scenario;
  for (const auto& s : report.scenarios) {
    auto& rows = per_scenario.emplace_back();
    for (const auto& r : s.results) {
      Row row{&r, terminal_safe(r.check ? r.check->id : std::string("?")), terminal_safe(r.target),
              terminal_safe(r.source.empty() ? std::string("-") : r.source),
              terminal_safe(verdict_text(r))};
      w_id = std::max(w_id, width(row.id));
      w_target = std::max(w_target, width(row.target));
      w_source = std::max(w_source, width(row.source));
      rows.push_back(std::move(row));
    }
  }

  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    const auto& s = report.scenarios[i];
    out += p.paint("1", terminal_safe(scenario_label(s)));
    if (!s.file.empty()) out += fmt::format(" ({})", terminal_safe(s.file));
    out += '\n';
    if (per_scenario[i].empty()) out += "  (no checks)\n";
    for (const auto& row : per_scenario[i]) {
      auto st = row.r->verdict.status;
      std::string b = pad(badge(st), 6);
      out += "  " + p.paint(status_color(st), b) + "  ";
      std::string id = pad(row.id, w_id);
      out +=
          (st == results::Status::kFail || st == results::Status::kError) ? p.paint("1", id) : id;
      out += "  " + pad(row.target, w_target) + "  " + pad(row.source, w_source) + "  " + row.text;
      if (row.r->change && *row.r->change != results::Change::kStillPassing &&
          *row.r->change != results::Change::kStillFailing)
        out += fmt::format("  [{}]", results::to_string(*row.r->change));
      out += '\n';
      if (verbose)
        for (const auto& f : row.r->verdict.findings)
          out += "          - " + terminal_safe(finding_line(f)) + '\n';
      if (row.r->waiver)
        out += "          " + p.paint("35", terminal_safe(waiver_text(*row.r->waiver))) + '\n';
      if (row.r->observation)
        for (const auto& w : row.r->observation->warnings)
          out += "          " + p.paint("33", "warning: ") + terminal_safe(w) + '\n';
    }
  }

  auto c = report.counts();
  auto count = [&](int n, std::string_view label, std::string_view code) {
    std::string t = fmt::format("{} {}", n, label);
    return n > 0 ? p.paint(code, t) : t;
  };
  out += fmt::format("\n{}: {}, {}, {}, {}{} in {}  (vantage {})\n", counted(c.total(), "check"),
                     count(c.pass, "passed", "32"), count(c.fail, "failed", "1;31"),
                     count(c.error, c.error == 1 ? "error" : "errors", "1;33"),
                     count(c.skip, "skipped", "36"),
                     c.waived ? ", " + count(c.waived, "waived", "35") : std::string(),
                     human_duration(report.elapsed.count()), kVersion);
  if (c.fail > 0) {
    std::string by;
    for (const auto& [sev, n] : results::failures_by_severity(report))
      by += fmt::format("{}{} {}", by.empty() ? "" : ", ", n, terminal_safe(sev));
    out += "failures by severity: " + by + "\n";
  }
  if (const auto& f = report.fleet) out += terminal_safe(fleet_summary(*f)) + "\n";
  out += results::exit_reason(report) + "\n";
  for (const auto& a : report.artifacts)
    out += fmt::format("{}: {}\n", terminal_safe(a.kind.empty() ? "artifact" : a.kind),
                       terminal_safe(a.path));
  for (const auto& w : report.warnings) out += p.paint("33", "warning: ") + terminal_safe(w) + '\n';
  // Last, where the eye lands: what to do about the failures.
  if (auto todo = fixes(report); !todo.empty()) {
    out += p.paint("1", "To fix:") + "\n";
    for (const auto& f : todo)
      out += fmt::format("  {} {}  ({})\n", p.paint("1;31", pad(terminal_safe(f.severity), 8)),
                         terminal_safe(f.text),
                         terminal_safe(fmt::format("{}", fmt::join(f.checks, ", "))));
  }
  return out;
}

std::string render_summary_line(const results::RunReport& report) {
  const auto c = report.counts();
  return fmt::format("{} passed, {} failed, {} errored, {} skipped{}\n", c.pass, c.fail, c.error,
                     c.skip, c.waived ? fmt::format(", {} waived", c.waived) : std::string());
}

std::string console_text(const results::RunReport& report, const RenderOptions& options) {
  return options.quiet ? render_summary_line(report)
                       : render_console(report, options.color, options.verbose);
}

}  // namespace vantage::reports
