#include "probes/capture_probe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "capture/flow_report.hpp"
#include "capture/run_capture.hpp"
#include "core/plural.hpp"
#include "net/sockaddr.hpp"
#include "tls/version.hpp"

namespace vantage::probes {
namespace {

bool parse_ports(const json& check, const JsonPath& path, const char* key, Diagnostics& diags,
                 std::vector<std::uint16_t>& out) {
  auto it = check.find(key);
  if (it == check.end()) return true;
  std::vector<std::uint16_t> ports;
  auto one = [&](const json& x, const JsonPath& at) {
    if (!x.is_number_integer() || x.get<std::int64_t>() < 1 || x.get<std::int64_t>() > 65535) {
      diags.error(at, "expected a TCP port (1-65535), found " + x.dump());
      return;
    }
    ports.push_back(static_cast<std::uint16_t>(x.get<std::int64_t>()));
  };
  if (it->is_array()) {
    if (it->empty()) diags.error(path / key, "expected at least one port");
    for (std::size_t i = 0; i < it->size(); ++i) one((*it)[i], path / key / i);
  } else {
    one(*it, path / key);
  }
  if (ports.empty()) return false;
  out = ports;
  return true;
}

bool contains(const std::vector<std::uint16_t>& v, std::uint16_t p) {
  return std::find(v.begin(), v.end(), p) != v.end();
}

}  // namespace

json CaptureProbe::schema() const {
  json ports = {
      {"oneOf",
       json::array({{{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}},
                    {{"type", "array"},
                     {"minItems", 1},
                     {"items", {{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}}}}})}};
  json versions = {{"type", "array"},
                   {"items", {{"enum", {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}}}}};
  return {
      {"expect",
       {{"description",
         "\"no-plaintext-api\", or {\"tls_versions_seen\": [...]} (exactly the set of TLS "
         "versions negotiated with the target on the TLS ports)"},
        {"oneOf", json::array({{{"enum", {"no-plaintext-api"}}},
                               {{"type", "object"},
                                {"properties",
                                 {{"tls_versions_seen", versions},
                                  {"no_plaintext_api", {{"type", "boolean"}}}}},
                                {"additionalProperties", false}}})}}},
      {"api_ports",
       {{"description", "plaintext API service ports (default 8728)"}, {"oneOf", ports["oneOf"]}}},
      {"tls_ports",
       {{"description",
         "API-SSL service ports: TLS versions are read there "
         "(default 8729)"},
        {"oneOf", ports["oneOf"]}}},
  };
}

std::unique_ptr<CheckSpec> CaptureProbe::parse(const json& check, const JsonPath& path,
                                               Diagnostics& diags, const ParseEnv&) const {
  auto spec = std::make_unique<CaptureSpec>();
  parse_ports(check, path, "api_ports", diags, spec->api_ports);
  parse_ports(check, path, "tls_ports", diags, spec->tls_ports);
  auto it = check.find("expect");
  const JsonPath ep = path / "expect";
  if (it == check.end()) {
    diags.error(ep, "missing \"expect\": \"no-plaintext-api\" or {\"tls_versions_seen\": [...]}");
    return spec;
  }
  spec->expect_json = *it;
  if (it->is_string()) {
    const auto s = it->get<std::string>();
    if (s == "no-plaintext-api") {
      spec->no_plaintext_api = true;
    } else {
      std::string msg = "unknown expectation \"" + s + "\"";
      if (auto m = did_you_mean(s, {"no-plaintext-api"})) msg += "; did you mean \"" + *m + "\"?";
      diags.error(ep, msg + " (valid: \"no-plaintext-api\" or {\"tls_versions_seen\": [...]})");
    }
    return spec;
  }
  if (!check_keys(*it, ep, {"tls_versions_seen", "no_plaintext_api"}, diags)) return spec;
  if (auto b = get_bool(*it, ep, "no_plaintext_api", diags)) spec->no_plaintext_api = *b;
  if (auto list = get_string_list(*it, ep, "tls_versions_seen", diags)) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto v = tls::version_from((*list)[i]);
      if (!v) {
        diags.error(ep / "tls_versions_seen" / i,
                    "unknown TLS version \"" + (*list)[i] +
                        "\" (valid: SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3)");
        continue;
      }
      names.push_back(tls::to_string(*v));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    spec->tls_versions_seen = names;
  }
  if (!spec->no_plaintext_api && !spec->tls_versions_seen)
    diags.error(ep,
                "the expectation checks nothing: set \"tls_versions_seen\" or "
                "\"no_plaintext_api\": true");
  return spec;
}

std::vector<std::string> CaptureObservation::information_texts() const {
  std::vector<std::string> out;
  for (const auto& f : information) out.push_back(f.text);
  return out;
}

json CaptureObservation::evidence() const {
  return {{"pcap", file},
          {"interface", interface},
          {"netns", netns},
          {"filter", filter},
          {"link_type", link_type},
          {"packets", packets},
          {"dropped", dropped},
          {"interface_dropped", if_dropped},
          {"drain", {{"waited_ms", drained_ms}, {"connections_open_at_stop", open_at_stop}}},
          {"self_validation",
           {{"vantage_connections", connections}, {"syns_seen", syns_seen}, {"missing", missing}}},
          {"tls_versions_negotiated", tls_versions},
          {"violations", violations},
          {"unknowns", unknowns},
          {"findings", findings},
          {"information", information_texts()},
          {"flows", flows}};
}

std::unique_ptr<Observation> CaptureProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<CaptureObservation>();
  const auto& spec = static_cast<const CaptureSpec&>(ctx.spec);
  const std::shared_ptr<const capture::RunEvidence> ev = ctx.run.evidence<capture::RunEvidence>();
  const std::vector<RunState::Conn> conns = ctx.run.connections();
  if (!ev) {
    obs->error = "no capture ran: add \"capture\": {\"interface\": \"any\"} to the scenario";
    return obs;
  }
  obs->file = ev->file;
  obs->interface = ev->interface;
  obs->netns = ev->netns.value_or("");
  obs->filter = ev->filter;
  obs->link_type = ev->link_type;
  if (!ev->ok()) {
    obs->error = "no capture evidence: " + ev->error;
    return obs;
  }
  obs->packets = ev->analysis.packets;
  obs->drained_ms = ev->drained.count();
  obs->open_at_stop = ev->open_at_stop;
  if (ev->open_at_stop > 0)
    obs->warnings.push_back(fmt::format(
        "the capture stopped {} ms after the last probe with {} not yet ended in it: their last "
        "packets are not in the evidence (a longer \"drain_ms\" waits for them)",
        ev->drained.count(), counted(ev->open_at_stop, "connection")));
  if (ev->counters) {
    obs->dropped = ev->counters->dropped;
    obs->if_dropped = ev->counters->if_dropped;
  }
  capture::IpAddr target;
  {
    auto r = ctx.destination(0, *obs);
    if (!r) return obs;
    if (!capture::IpAddr::parse(r->ip(), target)) {
      obs->error = ctx.cannot_resolve();
      return obs;
    }
  }
  // Self-validation: every connection vantage made to this target must show its SYN.
  for (const auto& c : conns) {
    const auto colon = c.remote.rfind(':');
    capture::IpAddr rip;
    if (colon == std::string::npos || !capture::IpAddr::parse(c.remote.substr(0, colon), rip) ||
        !(rip == target)) {
      continue;
    }
    ++obs->connections;
    if (ev->saw_syn(c.local, c.remote))
      ++obs->syns_seen;
    else if (obs->missing.size() < 10)
      obs->missing.push_back(c.local + " -> " + c.remote);
  }
  // Flows to or from the target, and what they show.
  std::set<std::string> versions;
  std::vector<std::string> undecodable;  // API-port flows the capture saw only in part
  const auto& a = ev->analysis;
  for (const auto& f : a.flows) {
    if (!(f.server.ip == target) && !(f.client.ip == target)) continue;
    obs->flows.push_back(capture::to_json(f, a));
    if (f.cls == capture::FlowClass::kTls && f.tls && f.tls->server_hello &&
        contains(spec.tls_ports, f.server.port)) {
      versions.insert(capture::tls_version_name(f.tls->negotiated_version()));
    }
    const bool incomplete = f.c2s.gaps + f.s2c.gaps > 0 || f.c2s.midstream || f.s2c.midstream;
    if (contains(spec.api_ports, f.server.port) && f.cls == capture::FlowClass::kOtherPlaintext) {
      // Bytes to an API port that did not decode: with lost bytes that is
      // missing evidence, without it something else is listening there.
      if (incomplete) {
        undecodable.push_back(fmt::format("flow {} {} -> {} (packets from {})", f.id,
                                          f.client.str(), f.server.str(), f.first_packet.number));
      } else {
        obs->warnings.push_back(
            fmt::format("flow {} to API port {} carried something other than "
                        "the RouterOS API",
                        f.id, f.server.port));
      }
    }
    if (contains(spec.tls_ports, f.server.port) && f.cls == capture::FlowClass::kOtherPlaintext) {
      obs->warnings.push_back(fmt::format("flow {} to TLS port {} is not TLS (packets from {})",
                                          f.id, f.server.port, f.first_packet.number));
    }
  }
  for (const auto& fd : a.findings) {
    if (!(fd.server.ip == target) && !(fd.client.ip == target)) continue;
    if (fd.kind == "detection-login") {
      results::Finding info{capture::kind_words(fd.kind), fmt::format("flow {}", fd.flow_id), "",
                            fd.message};
      info.info = true;
      obs->information.push_back(std::move(info));
      continue;
    }
    if (fd.kind != "credential-exposure" && fd.kind != "plaintext-api") continue;
    obs->findings.push_back(capture::to_json(fd, a));
    std::vector<std::string> pk;
    for (const auto& p : fd.packets) pk.push_back(a.packet_label(p));
    obs->violations.push_back(
        fmt::format("{}: {} (pcap packets {})", fd.severity, fd.message, fmt::join(pk, ", ")));
    obs->records.push_back({capture::kind_words(fd.kind),
                            fd.user.empty() ? fmt::format("flow {}", fd.flow_id) : fd.user, "",
                            obs->violations.back()});
  }
  obs->tls_versions.assign(versions.begin(), versions.end());
  obs->summary =
      fmt::format("{}, {} with the target, {}/{} own SYNs seen", counted(obs->packets, "packet"),
                  counted(obs->flows.size(), "flow"), obs->syns_seen, obs->connections);
  // Missing evidence is an error, never a pass.
  if (obs->dropped > 0) {
    obs->error = fmt::format("the capture dropped {}: the evidence is incomplete",
                             counted(obs->dropped, "packet"));
  } else if (!ev->counters) {
    obs->error = "the capture's drop counter could not be read";
  } else if (obs->connections == 0) {
    obs->error = "vantage made no connection to " + ctx.target.host +
                 " during the run, so the capture cannot be validated against its own traffic";
  } else if (obs->syns_seen == 0) {
    obs->error = fmt::format(
        "the capture on {}{} saw none of vantage's {} to {}: wrong interface or "
        "namespace, or a filter that excludes them",
        ev->interface, ev->netns ? " in netns " + *ev->netns : std::string(),
        counted(obs->connections, "connection"), ctx.target.host);
  } else if (obs->syns_seen < obs->connections) {
    obs->error = fmt::format(
        "the capture saw only {} of vantage's {} to {} (missing {}): it did not "
        "watch all the traffic",
        obs->syns_seen, counted(obs->connections, "connection"), ctx.target.host,
        fmt::join(obs->missing, ", "));
  }
  // Evidence missing from an otherwise working capture: a finding seen still
  // fails the check, but nothing passes on it (results::decide()).
  if (!undecodable.empty() && spec.no_plaintext_api) {
    obs->unknowns.push_back(
        fmt::format("the capture missed bytes of {} to an API port and could not tell whether they "
                    "spoke the API in plaintext: {}",
                    counted(undecodable.size(), "flow"), fmt::join(undecodable, "; ")));
  }
  if (a.flows_unlisted() > 0)
    obs->unknowns.push_back(fmt::format(
        "the capture held {} flows, more than the {} the analysis lists, so its flows with the "
        "target could not all be checked",
        a.flows_total, a.flows.size()));
  // Frames (or a link type) the decoder could not read may have carried a
  // login or a handshake; API-port flows were judged for the target above.
  for (const auto& u : a.undecodable) {
    obs->unknowns.push_back("the capture could not be fully decoded: " + u);
  }
  if (a.problems_total > 0) {
    obs->warnings.push_back(
        fmt::format("{} could not be decoded (first: packet "
                    "{}: {})",
                    counted(a.problems_total, "captured frame"), a.problems.front().packet.number,
                    a.problems.front().what));
  }
  if (obs->if_dropped > 0)
    obs->warnings.push_back(
        fmt::format("the interface dropped {}", counted(obs->if_dropped, "packet")));
  return obs;
}

Verdict CaptureSpec::judge(const Observation& o) const {
  const auto& obs = static_cast<const CaptureObservation&>(o);
  Verdict v;
  v.expected = expect_json.is_string() ? expect_json.get<std::string>() : expect_json.dump();
  if (!obs.error.empty()) return results::unobserved(v.expected, obs.error);
  std::vector<std::string> problems;
  std::vector<std::string> observed;
  std::optional<results::Finding> tls_finding;
  if (no_plaintext_api) {
    if (!obs.violations.empty()) {
      problems.push_back(obs.violations.front() +
                         (obs.violations.size() > 1
                              ? fmt::format(" (+{} more)", obs.violations.size() - 1)
                              : std::string()));
      observed.push_back(counted(obs.violations.size(), "plaintext API finding"));
    } else {
      observed.push_back("no plaintext API");
    }
  }
  if (tls_versions_seen) {
    const std::string seen =
        obs.tls_versions.empty() ? "none" : fmt::format("{}", fmt::join(obs.tls_versions, ", "));
    observed.push_back("TLS versions " + seen);
    if (obs.tls_versions != *tls_versions_seen) {
      problems.push_back(fmt::format("the capture witnessed TLS versions {} but expected {}", seen,
                                     tls_versions_seen->empty()
                                         ? std::string("none")
                                         : fmt::format("{}", fmt::join(*tls_versions_seen, ", "))));
      tls_finding = results::Finding{"TLS version mismatch", seen, "", problems.back()};
    }
  }
  v.observed = fmt::format("{}", fmt::join(observed, "; "));
  if (!problems.empty()) {
    v.status = Status::kFail;
    if (no_plaintext_api) v.findings = obs.records;
    if (tls_finding) v.findings.push_back(*tls_finding);
    if (no_plaintext_api)
      v.findings.insert(v.findings.end(), obs.information.begin(), obs.information.end());
    v.message = fmt::format("{}", fmt::join(problems, "; "));
    return v;
  }
  v.status = Status::kPass;
  if (no_plaintext_api) v.findings = obs.information;
  v.message =
      fmt::format("capture of {} self-validated ({} of {} own SYNs seen, 0 dropped): {}",
                  counted(obs.packets, "packet"), obs.syns_seen, obs.connections, v.observed);
  return v;
}

}  // namespace vantage::probes
