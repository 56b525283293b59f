#include "reports/junit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "core/plural.hpp"
#include "reports/findings.hpp"
#include "reports/format.hpp"
#include "vantage/version.hpp"

namespace vantage::reports {
namespace {

void attr(pugi::xml_node n, const char* name, std::string_view value) {
  n.append_attribute(name).set_value(xml_safe_text(value).c_str());
}

void attr(pugi::xml_node n, const char* name, int value) {
  n.append_attribute(name).set_value(std::to_string(value).c_str());
}

void text(pugi::xml_node n, std::string_view value) {
  n.append_child(pugi::node_pcdata).set_value(xml_safe_text(value).c_str());
}

void counts_attrs(pugi::xml_node n, const results::Counts& c) {
  attr(n, "tests", c.total());
  attr(n, "failures", c.fail);
  attr(n, "errors", c.error);
  attr(n, "skipped", c.skip + c.waived);  // a waived case is a <skipped> one
}

void property(pugi::xml_node props, std::string_view name, std::string_view value) {
  auto p = props.append_child("property");
  attr(p, "name", name);
  attr(p, "value", value);
}

// Wall-clock span of the group (checks run concurrently, so the sum of their
// times overstates it); the sum when start times are missing.
double group_seconds(const std::vector<const results::CheckResult*>& rs) {
  results::SystemTime first = results::SystemTime::max(), last = results::SystemTime::min();
  double sum = 0;
  bool have_times = !rs.empty();
  for (const auto* r : rs) {
    sum += r->elapsed.count();
    if (r->started == results::SystemTime{}) have_times = false;
    first = std::min(first, r->started);
    last = std::max(
        last, r->started + std::chrono::duration_cast<results::SystemTime::duration>(r->elapsed));
  }
  if (!have_times) return sum;
  return std::chrono::duration<double>(last - first).count();
}

results::SystemTime group_start(const std::vector<const results::CheckResult*>& rs,
                                results::SystemTime fallback) {
  results::SystemTime first = results::SystemTime::max();
  for (const auto* r : rs)
    if (r->started != results::SystemTime{}) first = std::min(first, r->started);
  return first == results::SystemTime::max() ? fallback : first;
}

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  return ec ? p : abs.lexically_normal().string();
}

std::string evidence_text(const results::Observation* o) {
  return evidence_of(o).dump(2, ' ', false, json::error_handler_t::replace);
}

// What a person needs to act on a failure or an error.
std::string details(const results::CheckResult& r) {
  std::string out = expected_observed(r.verdict) + "\n";
  if (!r.verdict.message.empty() && r.verdict.message != expected_observed(r.verdict))
    out += r.verdict.message + "\n";
  // Each finding on its own line: GitLab and Jenkins show this body as is.
  if (!r.verdict.findings.empty()) {
    out += counted(r.verdict.findings.size(), "finding") + ":\n";
    for (const auto& f : r.verdict.findings) out += "- " + finding_line(f) + "\n";
  }
  if (const auto* o = r.observation.get()) {
    if (!o->summary.empty()) out += "observed: " + o->summary + "\n";
    if (!o->error.empty()) out += "error: " + o->error + "\n";
    for (const auto& w : o->warnings) out += "warning: " + w + "\n";
    out += "evidence:\n" + evidence_text(o) + "\n";
  }
  return out;
}

std::string system_out(const results::CheckResult& r, const results::RunReport&) {
  std::string out;
  if (const auto* c = r.check) {
    out += fmt::format("check: {} (probe {}", c->id, c->probe);
    if (c->port) out += fmt::format(", port {}", c->port);
    out += fmt::format(", severity {})\n", c->severity);
    if (!c->description.empty()) out += "description: " + c->description + "\n";
  }
  out += "target: " + r.target;
  if (!r.target_host.empty() && r.target_host != r.target) out += " (" + r.target_host + ")";
  out += "\n";
  if (!r.source.empty())
    out += "source: " + (r.source_desc.empty() ? r.source : r.source_desc) + "\n";
  if (r.spec)
    out += "expected: " + r.spec->expected().dump(-1, ' ', false, json::error_handler_t::replace) +
           "\n";
  out += fmt::format("verdict: {}: {}\n", results::to_string(r.verdict.status),
                     r.verdict.message.empty() ? expected_observed(r.verdict) : r.verdict.message);
  // A failure's or an error's findings are in its body; a pass's advice here.
  if (r.verdict.status != results::Status::kFail && r.verdict.status != results::Status::kError)
    for (const auto& f : r.verdict.findings) out += "finding: " + finding_line(f) + "\n";
  if (const auto* o = r.observation.get()) {
    if (!o->local_address.empty()) out += "local address: " + o->local_address + "\n";
    if (!o->summary.empty()) out += "observed: " + o->summary + "\n";
    if (!o->error.empty()) out += "error: " + o->error + "\n";
    for (const auto& w : o->warnings) out += "warning: " + w + "\n";
    // A failure or error already carries the evidence in its body; once is
    // enough (GitLab caps a report file at 30 MB).
    bool in_body =
        r.verdict.status == results::Status::kFail || r.verdict.status == results::Status::kError;
    out += in_body ? std::string("evidence: in the ") +
                         (r.verdict.status == results::Status::kFail ? "failure" : "error") +
                         " details\n"
                   : "evidence:\n" + evidence_text(o) + "\n";
  }
  return out;
}

// "expected open, observed nothing: bind 192.0.2.10 failed" for an error.
std::string error_message(const results::CheckResult& r) {
  const auto& v = r.verdict;
  std::string why = v.message;
  if (why.empty() && r.observation) why = r.observation->error;
  if (v.expected.empty()) return why.empty() ? std::string("could not observe") : why;
  std::string eo = fmt::format("expected {}, observed {}", v.expected,
                               v.observed.empty() ? std::string("nothing") : v.observed);
  if (why.empty() || why.rfind(eo, 0) == 0) return why.empty() ? eo : why;
  return eo + ": " + why;
}

std::string unique(std::set<std::string>& seen, const std::string& scope, const std::string& base) {
  std::string name = base;
  for (int n = 2; !seen.insert(scope + '\n' + name).second; ++n)
    name = fmt::format("{} #{}", base, n);
  return name;
}

}  // namespace

std::string junit_classname_part(std::string_view part) {
  std::string out;
  for (char c : part) {
    bool sep =
        c == '.' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    out += sep ? '_' : c;
  }
  return out.empty() ? std::string("_") : out;
}

std::string render_junit(const results::RunReport& report) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");

  // No attributes: the Ant schema allows none on <testsuites> (junit-10.xsd
  // allows some, none required); each <testsuite> carries its counts.
  auto root = doc.append_child("testsuites");

  std::set<std::string> suite_names, case_names;
  int suite_id = 0;
  for (const auto& s : report.scenarios) {
    const std::string label = scenario_label(s);
    for (const auto& g : group_by_target(s)) {
      auto suite = root.append_child("testsuite");
      attr(suite, "name", unique(suite_names, "", label + " @ " + g.name));
      counts_attrs(suite, results::count(g.results));
      attr(suite, "time", decimal_seconds(group_seconds(g.results)));
      attr(suite, "timestamp", iso8601_naive(group_start(g.results, report.started)));
      attr(suite, "hostname", "localhost");  // Ant's word for "not recorded"
      attr(suite, "id", suite_id);
      attr(suite, "package", junit_classname_part(label));
      ++suite_id;

      auto props = suite.append_child("properties");
      property(props, "vantage.version", kVersion);
      property(props, "scenario.name", s.name);
      if (!s.file.empty()) property(props, "scenario.file", s.file);
      property(props, "target.name", g.name);
      if (!g.host.empty()) property(props, "target.host", g.host);
      // Each source once, in order of first use, with the addresses it used.
      std::vector<std::string> sources;
      for (const auto* r : g.results)
        if (!r->source.empty() &&
            std::find(sources.begin(), sources.end(), r->source) == sources.end())
          sources.push_back(r->source);
      for (const auto& src : sources) {
        std::string desc;
        std::vector<std::string> addrs;
        for (const auto* r : g.results) {
          if (r->source != src) continue;
          if (desc.empty()) desc = r->source_desc;
          if (r->observation && !r->observation->local_address.empty() &&
              std::find(addrs.begin(), addrs.end(), r->observation->local_address) == addrs.end())
            addrs.push_back(r->observation->local_address);
        }
        property(props, "source." + src, desc.empty() ? src : desc);
        if (!addrs.empty())
          property(props, "source." + src + ".local_address",
                   fmt::format("{}", fmt::join(addrs, ", ")));
      }

      const std::string classname =
          junit_classname_part(label) + "." + junit_classname_part(g.name);
      std::string suite_out;
      for (const auto* r : g.results) {
        auto tc = suite.append_child("testcase");
        std::string base = r->check ? r->check->id : std::string("check");
        if (!r->source.empty()) base += " [" + r->source + "]";
        const std::string case_name = unique(case_names, classname, base);
        attr(tc, "name", case_name);
        // Both schemas allow properties only on the suite: one per case and fact.
        if (r->waiver) property(props, "case." + case_name + ".waiver", waiver_text(*r->waiver));
        if (r->change)
          property(props, "case." + case_name + ".baseline", results::to_string(*r->change));
        attr(tc, "classname", classname);
        attr(tc, "time", decimal_seconds(r->elapsed.count()));
        switch (r->verdict.status) {
          case results::Status::kPass: break;
          case results::Status::kFail: {
            auto f = tc.append_child("failure");
            attr(f, "type", "expectation-failed");
            attr(f, "message", expected_observed(r->verdict));
            text(f, details(*r));
            break;
          }
          case results::Status::kError: {
            auto e = tc.append_child("error");
            attr(e, "type", "observation-error");
            attr(e, "message", error_message(*r));
            text(e, details(*r));
            break;
          }
          case results::Status::kSkip: {
            // No "type": the Ant schema's <skipped> has only "message".
            auto k = tc.append_child("skipped");
            const std::string why = r->verdict.message.empty() ? "skipped" : r->verdict.message;
            attr(k, "message", why);
            text(k, why);  // GitLab shows the element body as the reason
            break;
          }
          case results::Status::kWaived: {
            // Skipped, not passed: CI shows it apart, and the run's exit code agrees.
            auto k = tc.append_child("skipped");
            attr(k, "message", "waived: " + expected_observed(r->verdict));
            text(k, waiver_text(*r->waiver) + "\n" + details(*r));
            break;
          }
        }
        suite_out += "== " + case_name + "\n" + system_out(*r, report);
      }
      // The Ant schema has no <system-out> in a <testcase>: one per suite, required,
      // then <system-err>. Jenkins junit-attachments reads attachments here too.
      for (const auto& a : report.artifacts)
        suite_out += "[[ATTACHMENT|" + absolute_path(a.path) + "]]\n";
      text(suite.append_child("system-out"), suite_out);
      suite.append_child("system-err");
    }
  }

  std::ostringstream os;
  doc.save(os, "  ", pugi::format_indent, pugi::encoding_utf8);
  return os.str();
}

}  // namespace vantage::reports
