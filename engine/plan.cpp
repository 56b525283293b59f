#include "engine/plan.hpp"

#include <algorithm>

namespace vantage::engine {

namespace {

bool selected(const EngineOptions& opt, const std::string& id) {
  return opt.only.empty() || std::find(opt.only.begin(), opt.only.end(), id) != opt.only.end();
}

// The sources a check runs from; one null entry for a probe without sources.
std::vector<const net::SourceSpec*> sources_of(const scenarios::Scenario& sc,
                                               const scenarios::Check& check) {
  std::vector<const net::SourceSpec*> sources;
  if (!check.probe->uses_sources()) return {nullptr};
  for (const auto& name : check.common.from) sources.push_back(sc.source(name));
  return sources;
}

}  // namespace

std::map<const net::SourceSpec*, std::string> invalid_sources(
    const std::vector<scenarios::Scenario>& plan) {
  std::map<const net::SourceSpec*, std::string> bad;
  for (const auto& sc : plan)
    for (const auto& src : sc.sources)
      if (auto problem = net::validate_source(src))
        bad[&src] = "source " + src.describe() + ": " + *problem;
  return bad;
}

Tasks expand_plan(const std::vector<scenarios::Scenario>& plan, const EngineOptions& opt,
                  results::RunReport& report) {
  Tasks tasks;
  report.scenarios.resize(plan.size());
  for (std::size_t si = 0; si < plan.size(); ++si) {
    const auto& sc = plan[si];
    auto& out = report.scenarios[si];
    out.file = sc.file;
    out.name = sc.name;
    out.fingerprint = sc.fingerprint;
    for (const auto& target : sc.targets) {
      out.targets.push_back(target.name);
      for (const auto& check : sc.checks) {
        if (!selected(opt, check.common.id)) continue;
        for (const auto* src : sources_of(sc, check)) {
          results::CheckResult r;
          r.check = &check.common;
          r.spec = check.spec;
          r.target = target.name;
          r.target_host = target.host;
          if (src) {
            r.source = src->name;
            r.source_desc = src->describe();
          }
          Task t{si,         out.results.size(),
                 &check,     &target,
                 src,        opt.per_target.value_or(sc.max_per_target),
                 target.host};
          out.results.push_back(std::move(r));
          (check.probe->phase() == probes::Phase::kAfterAll ? tasks.after : tasks.active)
              .push_back(t);
        }
      }
    }
  }
  return tasks;
}

}  // namespace vantage::engine
