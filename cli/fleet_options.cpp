#include "cli/fleet_options.hpp"

#include <filesystem>

#include "cli/data_dir.hpp"
#include "core/error.hpp"
#include "fleet/select.hpp"

namespace vantage::cli {

namespace po = boost::program_options;

void add_fleet_options(po::options_description& od) {
  od.add_options()("inventory", po::value<std::string>(),
                   "run against every target of this inventory: CSV (name,host,VAR...), JSON, "
                   "or Ansible INI/YAML; each target's vars fill the scenario's ${...}")(
      "limit", po::value<std::vector<std::string>>()->composing(),
      "only these inventory groups or target names (repeatable, or a comma list)")(
      "shard", po::value<std::string>(),
      "run shard K of N (K/N, 1-based): the targets rendezvous hashing of their names gives K; "
      "vantage merge joins the shards' JSON reports");
}

namespace {

// A scenario's identity without loading it for a target: its file, its name
// as written (the file's stem if that has a ${...}), its fingerprint.
results::ScenarioResult head_of(const std::string& file) {
  const auto doc = ConfigDoc::load(file);
  results::ScenarioResult s;
  s.file = doc.file();
  s.fingerprint = results::fingerprint(doc.root().dump());
  if (doc.root().is_object()) s.name = doc.root().value("name", std::string());
  if (s.name.empty() || s.name.find("${") != std::string::npos)
    s.name = std::filesystem::path(file).stem().string();
  return s;
}

std::string plan_fingerprint(const std::vector<results::ScenarioResult>& heads,
                             const std::map<std::string, std::string>& vars,
                             const engine::EngineOptions& engine) {
  json j = json::object();
  for (const auto& h : heads) j["scenarios"].push_back(h.fingerprint);
  j["vars"] = vars;
  j["only"] = engine.only;
  j["timeout_ms"] = engine.timeout ? json(engine.timeout->count()) : json(nullptr);
  return results::fingerprint(j.dump());
}

}  // namespace

std::optional<FleetRun> read_fleet(const po::variables_map& vm,
                                   const std::vector<std::string>& files,
                                   const std::map<std::string, std::string>& vars,
                                   const engine::EngineOptions& engine,
                                   std::vector<scenarios::Scenario>& plan) {
  if (!vm.count("inventory")) {
    if (vm.count("limit") || vm.count("shard"))
      throw UsageError("--limit and --shard select targets of an inventory; add --inventory FILE");
    return std::nullopt;
  }
  std::optional<fleet::Shard> shard;
  if (vm.count("shard")) shard = fleet::parse_shard(vm["shard"].as<std::string>());
  std::vector<std::string> limit;
  if (vm.count("limit")) limit = vm["limit"].as<std::vector<std::string>>();
  if (files.empty()) throw UsageError("name at least one scenario file");

  const auto inventory = fleet::load_inventory(vm["inventory"].as<std::string>());
  const auto selected = fleet::limit(inventory, limit);
  if (selected.empty())  // a group without hosts: a run that tests nothing is no pass
    throw UsageError("--limit selects no target of " + inventory.file +
                     "; name a group that has hosts, or a target");
  const auto mine = shard ? fleet::shard_targets(selected, *shard) : selected;

  FleetRun run;
  std::vector<std::string> paths;
  std::vector<Diagnostic> problems;
  for (const auto& f : files) {
    paths.push_back(resolve_shipped(f, "scenarios"));
    try {
      run.heads.push_back(head_of(paths.back()));
    } catch (const ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw ConfigError(problems);
  // As in load_all: scenarios run together share the --vars, so a name must
  // be a variable of at least one of them (each file's copies agree on that).
  std::map<std::string, std::map<std::string, Diagnostic>> undeclared;  // name -> file -> problem
  for (const auto& path : paths) {
    for (const auto& s : mine) {
      scenarios::LoadOptions opt;
      opt.vars = vars;
      std::map<std::string, Diagnostic> not_mine;
      if (paths.size() > 1) opt.undeclared_vars = &not_mine;
      const auto& t = *s.target;
      opt.target =
          scenarios::TargetOverride{t.name, t.host, t.vars, t.at.file, t.at.line, t.at.column};
      try {
        plan.push_back(scenarios::load_scenario(path, opt));
      } catch (const ConfigError& e) {
        problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
      }
      for (auto& [name, d] : not_mine) undeclared[name].emplace(path, std::move(d));
    }
  }
  for (auto& [name, by_file] : undeclared) {
    if (by_file.size() < paths.size()) continue;
    for (auto& [file, d] : by_file) {
      d.message.replace(d.message.find("this scenario"), 13, "any scenario of this run");
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) throw ConfigError(problems);
  if (!plan.empty()) scenarios::plan_capture(plan);

  auto& info = run.info;
  info.inventory = inventory.file;
  info.inventory_targets = static_cast<int>(selected.size());
  info.targets_fingerprint = fleet::targets_fingerprint(selected);
  info.limit = limit;
  if (shard) info.shard = shard->index, info.shards = shard->count;
  info.scenario_fingerprint = plan_fingerprint(run.heads, vars, engine);
  for (const auto& s : mine) info.selected.push_back({s.target->name, s.index});
  run.targets = mine.size();
  return run;
}

void fold_fleet(results::RunReport& report, const FleetRun& run) {
  std::vector<results::ScenarioResult> folded;
  for (std::size_t i = 0; i < run.heads.size(); ++i) {
    results::ScenarioResult s = run.heads[i];
    for (std::size_t j = 0; j < run.targets; ++j) {
      const std::size_t k = i * run.targets + j;
      if (k >= report.scenarios.size()) break;
      auto& part = report.scenarios[k];
      s.targets.insert(s.targets.end(), part.targets.begin(), part.targets.end());
      for (auto& r : part.results) s.results.push_back(std::move(r));
    }
    folded.push_back(std::move(s));
  }
  report.scenarios = std::move(folded);
  report.fleet = run.info;
}

}  // namespace vantage::cli
