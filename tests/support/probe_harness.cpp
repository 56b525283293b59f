#include "tests/support/probe_harness.hpp"

#include <stdexcept>

#include "scenarios/scenario.hpp"
#include "tests/support/link_profile.hpp"

namespace vantage::testing {

std::string ParsedCheck::errors() const {
  std::string s;
  for (const auto& d : diags) s += d.to_string() + "\n";
  return s;
}

bool ParsedCheck::has_error(std::string_view path, std::string_view text) const {
  for (const auto& d : diags)
    if (d.path == path && d.message.find(text) != std::string::npos) return true;
  return false;
}

std::vector<std::string> check_keys_of(const probes::Probe& probe) {
  const json schema = scenarios::scenario_schema();
  for (const auto& check : schema["properties"]["checks"]["items"]["oneOf"]) {
    const json& props = check["properties"];
    if (props["probe"]["const"].get<std::string>() != probe.name()) continue;
    std::vector<std::string> keys;
    for (const auto& [k, v] : props.items()) keys.push_back(k);
    return keys;
  }
  throw std::logic_error("the scenario schema has no check for probe " + std::string(probe.name()));
}

ParsedCheck parse_check(std::string_view probe, const std::string& check_json,
                        const std::filesystem::path& base_dir) {
  const probes::Probe* p = probes::find_probe(probe);
  if (!p) throw std::invalid_argument("no probe \"" + std::string(probe) + "\" in the registry");
  ParsedCheck out;
  const ConfigDoc doc = ConfigDoc::parse("check.json", check_json);
  Diagnostics diags(doc);
  check_keys(doc.root(), JsonPath(), check_keys_of(*p), diags);
  out.spec = p->parse(doc.root(), JsonPath(), diags, probes::ParseEnv{base_dir});
  out.diags = diags.list();
  return out;
}

CheckRun run_check(std::string_view probe, const std::string& check_json, const RunOptions& o) {
  ParsedCheck parsed = parse_check(probe, check_json, o.base_dir);
  if (!parsed.ok()) throw std::invalid_argument("invalid check:\n" + parsed.errors());
  const std::chrono::milliseconds timeout(link_timeout_ms(static_cast<int>(o.timeout.count())));
  results::CheckCommon common;
  common.id = "t";
  common.probe = std::string(probe);
  common.port = o.port;
  common.timeout = timeout;
  common.attempts = o.attempts;
  net::SourceSpec source;
  source.name = o.source_name;
  source.address = o.source;
  if (!o.source.empty()) common.from = {o.source_name};
  const results::Target target{o.target_name, o.host, o.server_name};
  probes::RunState run;
  run.set_evidence(o.capture);
  for (const auto& c : o.connections) run.record_connection(c.local, c.remote);
  CheckRun r;
  r.spec = std::move(parsed.spec);
  const auto start = std::chrono::steady_clock::now();
  probes::ProbeContext ctx{
      target, o.source.empty() ? nullptr : &source, common, *r.spec, Deadline::in(timeout), run};
  r.obs = probes::find_probe(probe)->observe(ctx);
  r.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  r.verdict = results::decide(*r.spec, *r.obs);
  r.connections = run.connections();
  return r;
}

}  // namespace vantage::testing
