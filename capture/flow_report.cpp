#include "capture/flow_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>
#include <sstream>
#include <utility>

#include "core/plural.hpp"
#include "core/text.hpp"

namespace vantage::capture {
namespace {

json packet_json(const PacketRef& p, const AnalysisResult& r) {
  json j = {{"number", p.number}};
  if (r.sources.size() > 1 && p.source < r.sources.size()) j["file"] = r.sources[p.source].name;
  return j;
}

json stats_json(const StreamStats& s) {
  return {{"delivered", s.delivered},
          {"retransmitted", s.retransmitted},
          {"overlapped", s.overlapped},
          {"out_of_order", s.out_of_order},
          {"gaps", s.gaps},
          {"gap_bytes", s.gap_bytes},
          {"syn_seen", s.syn_seen},
          {"midstream", s.midstream}};
}

std::string time_str(std::int64_t us) {
  return fmt::format("{}.{:06d}", us / 1000000, static_cast<int>(us % 1000000));
}

json tls_json(const TlsWitness& w) {
  json j = json::object();
  if (w.client_hello) {
    json offered = json::array();
    for (auto v : w.offered_versions()) offered.push_back(tls_version_name(v));
    j["client_hello"] = {{"packet", w.client_hello_packet & 0xffffffffffffULL},
                         {"legacy_version", tls_version_name(w.client_legacy_version)},
                         {"offered_versions", offered},
                         {"offered_suites", w.offered_suites.size()},
                         {"server_name", network_text(w.server_name)}};
  }
  if (w.server_hello) {
    j["server_hello"] = {{"packet", w.server_hello_packet & 0xffffffffffffULL},
                         {"legacy_version", tls_version_name(w.server_legacy_version)},
                         {"version", tls_version_name(w.negotiated_version())},
                         {"suite", tls_suite_name(w.suite)},
                         {"suite_code", fmt::format("0x{:04X}", w.suite)}};
  }
  j["hello_retry_request"] = w.hello_retry_request;
  json alerts = json::array();
  for (const auto& a : w.alerts) {
    alerts.push_back({{"from", a.from_client ? "client" : "server"},
                      {"alert", a.describe()},
                      {"packet", a.packet & 0xffffffffffffULL}});
  }
  j["alerts"] = alerts;
  return j;
}

}  // namespace

json to_json(const FlowRecord& f, const AnalysisResult& r) {
  json j = {{"id", f.id},
            {"client", f.client.str()},
            {"server", f.server.str()},
            {"roles_known", f.roles_known},
            {"class", to_string(f.cls)},
            {"first_time", time_str(f.first_us)},
            {"last_time", time_str(f.last_us)},
            {"first_packet", packet_json(f.first_packet, r)},
            {"last_packet", packet_json(f.last_packet, r)},
            {"packets", f.packets},
            {"bytes_client_to_server", f.bytes_c2s},
            {"bytes_server_to_client", f.bytes_s2c},
            {"syn_seen", f.syn_seen},
            {"fin_seen", f.fin_seen},
            {"rst_seen", f.rst_seen},
            {"client_to_server", stats_json(f.c2s)},
            {"server_to_client", stats_json(f.s2c)},
            {"notes", f.notes}};
  if (f.syn_seen) j["syn_packet"] = packet_json(f.syn_packet, r);
  if (f.tls) j["tls"] = tls_json(*f.tls);
  if (f.cls == FlowClass::kRouterosApiPlaintext) {
    j["api"] = {{"sentences", f.api_sentences}, {"first_word", f.api_first_word}};
  }
  return j;
}

json to_json(const Finding& f, const AnalysisResult& r) {
  json pk = json::array();
  for (const auto& p : f.packets) pk.push_back(packet_json(p, r));
  json j = {{"kind", f.kind},
            {"severity", f.severity},
            {"flow", f.flow_id},
            {"client", f.client.str()},
            {"server", f.server.str()},
            {"message", f.message},
            {"packets", pk}};
  if (f.kind == "credential-exposure") j["user"] = f.user;
  return j;
}

std::string kind_words(const std::string& kind) {
  if (kind == "credential-exposure") return "exposed credential";
  if (kind == "plaintext-api") return "plaintext API flow";
  if (kind == "non-tls-on-tls-port") return "non-TLS flow on a TLS port";
  if (kind == "detection-login") return "vantage's own detection login";
  return kind;
}

json to_json(const AnalysisResult& r) {
  json sources = json::array();
  for (const auto& s : r.sources) {
    sources.push_back({{"name", s.name},
                       {"link_type", s.link_type},
                       {"packets", s.packets},
                       {"complete", s.complete}});
  }
  json flows = json::array();
  std::map<std::string, int> classes;
  for (const auto& f : r.flows) {
    flows.push_back(to_json(f, r));
    ++classes[to_string(f.cls)];
  }
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(to_json(f, r));
  json problems = json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"packet", packet_json(p.packet, r)}, {"problem", p.what}});
  return {{"sources", std::move(sources)},
          {"summary",
           {{"packets", r.packets},
            {"tcp_packets", r.tcp_packets},
            {"other_packets", r.other_packets},
            {"flows", r.flows_total},
            {"flows_listed", r.flows.size()},
            {"flows_cut_short", r.flows_cut_short},
            {"classes", std::move(classes)},
            {"findings", r.findings_total},
            {"findings_listed", r.findings.size()},
            {"problems", r.problems_total},
            {"exposure", r.exposure()},
            {"verified", r.unverified().empty()}}},
          {"unverified", r.unverified()},
          {"api_ports", r.api_ports},
          {"tls_ports", r.tls_ports},
          {"findings", std::move(findings)},  // moved: a big capture lists 10 000 flows
          {"flows", std::move(flows)},
          {"problems", std::move(problems)},
          {"problems_omitted", r.problems_total - r.problems.size()}};
}

namespace {
void write_console_raw(std::ostream& os, const AnalysisResult& r, bool all_flows);
}

// Names, first words and SNIs come from the network: every line goes through
// terminal_safe() so no control sequence reaches the operator's terminal.
void write_console(std::ostream& os, const AnalysisResult& r, bool all_flows) {
  std::ostringstream raw;
  write_console_raw(raw, r, all_flows);
  std::istringstream lines(raw.str());
  std::string line;
  while (std::getline(lines, line)) os << terminal_safe(line) << '\n';
}

namespace {
void write_console_raw(std::ostream& os, const AnalysisResult& r, bool all_flows) {
  for (const auto& s : r.sources) {
    fmt::print(os, "{}: {}, link type {}{}\n", s.name, counted(s.packets, "packet"), s.link_type,
               s.complete ? "" : ", NOT read to the end");
  }
  std::map<std::string, int> classes;
  for (const auto& f : r.flows) ++classes[to_string(f.cls)];
  fmt::print(os, "{}:", counted(r.flows_total, "TCP flow"));
  for (const auto& [k, n] : classes) fmt::print(os, " {} {}", n, k);
  if (r.flows_unlisted() > 0)
    fmt::print(os, " ({} not listed: the analysis bound)", r.flows_unlisted());
  if (r.flows_cut_short > 0)
    fmt::print(os, "; {} finalised early at the analyzer's bounds", r.flows_cut_short);
  fmt::print(os, "\n");
  for (const auto& f : r.flows) {
    const bool interesting = f.cls == FlowClass::kRouterosApiPlaintext || f.tls.has_value();
    if (!all_flows && !interesting) continue;
    fmt::print(os, "  flow {} {} -> {} {} ({}/{} bytes, packets {}-{})", f.id, f.client.str(),
               f.server.str(), to_string(f.cls), f.bytes_c2s, f.bytes_s2c,
               r.packet_label(f.first_packet), r.packet_label(f.last_packet));
    if (f.tls && f.tls->server_hello) {
      fmt::print(os, " {} {}", tls_version_name(f.tls->negotiated_version()),
                 tls_suite_name(f.tls->suite));
    }
    for (const auto& a : f.tls ? f.tls->alerts : std::vector<TlsAlertSeen>{})
      fmt::print(os, " [alert from {}: {}]", a.from_client ? "client" : "server", a.describe());
    fmt::print(os, "\n");
  }
  for (const auto& f : r.findings) {
    std::vector<std::string> pk;
    for (const auto& p : f.packets) pk.push_back(r.packet_label(p));
    fmt::print(os, "{}: {} (packets {})\n", f.severity, f.message, fmt::join(pk, ", "));
  }
  if (r.problems_total > 0) {
    fmt::print(os, "{} reading packets:\n", counted(r.problems_total, "problem"));
    std::size_t shown = 0;
    for (const auto& p : r.problems) {
      if (++shown > 20) break;
      fmt::print(os, "  packet {}: {}\n", r.packet_label(p.packet), p.what);
    }
  }
  for (const auto& u : r.unverified()) fmt::print(os, "could not verify: {}\n", u);
}
}  // namespace

}  // namespace vantage::capture
