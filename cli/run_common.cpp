#include "cli/run_common.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/capture_observer.hpp"
#include "cli/data_dir.hpp"
#include "cli/progress_line.hpp"
#include "cli/report_options.hpp"
#include "core/error.hpp"
#include "reports/console.hpp"

namespace vantage::cli {

std::vector<scenarios::Scenario> load_all(const std::vector<std::string>& files,
                                          const std::map<std::string, std::string>& vars) {
  if (files.empty()) throw UsageError("name at least one scenario file");
  std::vector<scenarios::Scenario> out;
  std::vector<Diagnostic> problems;
  scenarios::LoadOptions opt;
  opt.vars = vars;
  // Scenarios run together share the --vars: each name must be a variable of
  // at least one of them, not of every one.
  std::map<std::string, std::vector<Diagnostic>> undeclared;
  for (const auto& f : files) {
    std::map<std::string, Diagnostic> mine;
    if (files.size() > 1) opt.undeclared_vars = &mine;
    try {
      out.push_back(scenarios::load_scenario(resolve_shipped(f, "scenarios"), opt));
    } catch (const ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
    for (auto& [name, d] : mine) undeclared[name].push_back(std::move(d));
  }
  for (auto& [name, ds] : undeclared) {
    if (ds.size() < files.size()) continue;
    for (auto& d : ds) {
      d.message.replace(d.message.find("this scenario"), 13, "any scenario of this run");
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) throw ConfigError(problems);
  scenarios::plan_capture(out);  // scenarios that disagree on the capture: rejected here, for
                                 // validate as for run, before anything is sent
  return out;
}

void add_var_options(po::options_description& od) {
  od.add_options()("var", po::value<std::vector<std::string>>()->composing(),
                   "set a scenario variable: NAME=VALUE (repeatable)")(
      "vars", po::value<std::string>(), "read scenario variables from a JSON object file");
}

std::map<std::string, std::string> read_vars(const po::variables_map& vm) {
  std::map<std::string, std::string> vars;
  if (vm.count("vars")) {
    const auto doc = ConfigDoc::load(vm["vars"].as<std::string>());
    Diagnostics diags(doc);
    if (!doc.root().is_object())
      diags.error(JsonPath(), "a vars file is a JSON object of NAME: VALUE");
    for (const auto& [k, v] : doc.root().items()) {
      if (v.is_string())
        vars[k] = v.get<std::string>();
      else if (v.is_number_integer())
        vars[k] = std::to_string(v.get<std::int64_t>());
      else
        diags.error(JsonPath() / k, "a variable's value is a string or an integer");
    }
    diags.throw_if_any();
  }
  if (vm.count("var")) {
    for (const auto& kv : vm["var"].as<std::vector<std::string>>()) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError("--var takes NAME=VALUE, got '" + kv + "'");
      vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  return vars;
}

void add_run_options(po::options_description& od) {
  add_report_options(od);
  add_acceptance_options(od);
  od.add_options()("jobs", po::value<int>(),
                   "probes in flight at once, all targets together (default: as many as the "
                   "open-files limit allows, at most 1024)")(
      "per-target", po::value<int>(),
      "application connections in flight per target (default 4, or the scenario's "
      "defaults.max_per_target; a TLS scan holds 16 and below that runs alone)")(
      "timeout-ms", po::value<int>(), "override every check's timeout (whole check, all attempts)")(
      "only", po::value<std::vector<std::string>>()->composing(),
      "run only this check id (repeatable)")("quiet,q", "print only the summary line");
}

RunSettings read_run_settings(const po::variables_map& vm) {
  RunSettings s;
  s.reports = read_report_options(vm);
  s.reports.render.quiet = vm.count("quiet") > 0;
  s.acceptance = read_acceptance_settings(vm);
  if (vm.count("jobs")) {
    s.engine.jobs = vm["jobs"].as<int>();
    if (s.engine.jobs < 1 || s.engine.jobs > 100000) throw UsageError("--jobs must be 1-100000");
  }
  if (vm.count("timeout-ms")) {
    int t = vm["timeout-ms"].as<int>();
    if (t < 1 || t > 600000) throw UsageError("--timeout-ms must be 1-600000");
    s.engine.timeout = std::chrono::milliseconds(t);
  }
  if (vm.count("per-target")) {
    int n = vm["per-target"].as<int>();
    if (n < 1 || n > 1024) throw UsageError("--per-target must be 1-1024");
    s.engine.per_target = n;
  }
  if (vm.count("only")) s.engine.only = vm["only"].as<std::vector<std::string>>();
  return s;
}

int execute(const std::vector<scenarios::Scenario>& plan, RunSettings settings,
            const FleetRun* fleet) {
  // --only must name checks that exist, or the run would test nothing silently.
  // (A shard without targets loaded no scenario to look in.)
  for (const auto& id : plan.empty() && fleet ? std::vector<std::string>() : settings.engine.only) {
    bool found = false;
    std::vector<std::string> ids;
    for (const auto& sc : plan)
      for (const auto& c : sc.checks) {
        ids.push_back(c.common.id);
        found = found || c.common.id == id;
      }
    if (!found) {
      std::string msg = "--only " + id + ": no check has that id";
      if (auto m = did_you_mean(id, ids)) msg += "; did you mean " + *m + "?";
      throw UsageError(msg);
    }
  }
  const auto& dir = settings.reports.report_dir;
  auto capture = CaptureObserver::for_plan(plan, dir ? dir->string() : std::string());
  if (capture) settings.engine.observers.push_back(capture.get());
  results::RunReport report;
  if (plan.empty() && fleet) {
    report.started = std::chrono::system_clock::now();
  } else {
    // On a terminal, where the run stands; erased before the report prints.
    // The ticker keeps its clock moving through a slow check; it stops
    // (destroyed first) before the line is erased.
    std::optional<ProgressLine> line;
    std::optional<ProgressTicker> ticker;
    if (progress_wanted(settings.reports.render.quiet, STDERR_FILENO)) {
      line.emplace(std::cerr, terminal_columns(STDERR_FILENO));
      line->erase_on_interrupt(STDERR_FILENO);  // Ctrl-C must not leave it on the screen
      settings.engine.on_progress = [&line](const engine::Progress& p) { line->update(p); };
      ticker.emplace(*line);
    }
    report = engine::run(plan, settings.engine);
  }
  if (fleet) fold_fleet(report, *fleet);
  apply_acceptance(report, settings.acceptance);

  // Print first: a report-file failure must not hide the verdicts.
  std::cout << reports::console_text(report, settings.reports.render);
  write_report_files(report, settings.reports);
  for (const auto& p : report.permission_errors) std::cerr << "vantage: permission: " << p << "\n";
  return results::exit_code_for(report);
}

bool parse_args(const std::vector<std::string>& args, const po::options_description& od,
                const po::positional_options_description* pos, po::variables_map& vm,
                const std::string& usage_line) {
  po::options_description all = od;
  all.add_options()("help,h", "show this help");
  auto parser = po::command_line_parser(args).options(all);
  if (pos) parser.positional(*pos);
  po::store(parser.run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: " << usage_line << "\n\n" << all << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

}  // namespace vantage::cli
