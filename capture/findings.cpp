#include "capture/findings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/plural.hpp"
#include "core/text.hpp"
#include "routeros/facts.hpp"

namespace vantage::capture {
namespace {

// A finding about one flow; the caller adds the message and the packets.
Finding flow_finding(const FlowRecord& r, const char* kind, const char* severity) {
  Finding f;
  f.kind = kind;
  f.severity = severity;
  f.flow_id = r.id;
  f.client = r.client;
  f.server = r.server;
  return f;
}

// The packets a secret spanned: the first, and the last when it differs.
void add_span(Finding& f, PacketRef first, PacketRef last) {
  f.packets.push_back(first);
  if (last.source != first.source || last.number != first.number) f.packets.push_back(last);
}

}  // namespace

int severity_rank(const std::string& severity) {
  return severity == "critical" ? 0 : severity == "high" ? 1 : severity == "medium" ? 2 : 3;
}

void classify(FlowRecord& r, const LiveFlow& lf, const std::vector<std::uint16_t>& tls_ports,
              std::vector<Finding>& findings) {
  using TV = TlsRecordWalker::Verdict;
  const DirSink* dirs[2] = {&lf.c2s_sink, &lf.s2c_sink};
  const StreamStats* stats[2] = {&r.c2s, &r.s2c};
  bool api = false;
  int tls_yes = 0, tls_no = 0;
  for (int i = 0; i < 2; ++i) {
    if (dirs[i]->api.verdict() == ApiSniffer::Verdict::kApi) api = true;
    if (dirs[i]->tls.verdict() == TV::kTls) ++tls_yes;
    if (stats[i]->delivered > 0 && dirs[i]->tls.verdict() == TV::kNotTls) ++tls_no;
  }
  if (api)
    r.cls = FlowClass::kRouterosApiPlaintext;
  else if (tls_yes > 0 && tls_no == 0)
    r.cls = FlowClass::kTls;
  else if (r.bytes_c2s + r.bytes_s2c > 0)
    r.cls = FlowClass::kOtherPlaintext;
  else
    r.cls = FlowClass::kNoPayload;

  if (r.cls == FlowClass::kTls || lf.witness.client_hello || lf.witness.server_hello)
    r.tls = lf.witness;
  const char* names[2] = {"client->server", "server->client"};
  for (int i = 0; i < 2; ++i) {
    const StreamStats& s = *stats[i];
    if (s.midstream)
      r.notes.push_back(fmt::format("{}: already in progress when the capture started", names[i]));
    if (s.gaps > 0) {
      r.notes.push_back(fmt::format("{}: {}, {} not captured, first at packet {}", names[i],
                                    counted(s.gaps, "gap"), counted(s.gap_bytes, "byte"),
                                    unpack(s.first_gap_packet).number));
    }
    if (r.cls == FlowClass::kTls && dirs[i]->tls.desyncs() > 0 && dirs[i]->tls.desync_packet()) {
      r.notes.push_back(fmt::format("{}: TLS record stream broke at packet {}", names[i],
                                    unpack(dirs[i]->tls.desync_packet()).number));
    }
  }

  // Findings.
  if (r.cls == FlowClass::kRouterosApiPlaintext) {
    Finding fd = flow_finding(r, "plaintext-api", "high");
    for (const DirSink* d : dirs) {
      if (d->api.verdict() != ApiSniffer::Verdict::kApi) continue;
      r.api_sentences += d->api.sentences();
      if (r.api_first_word.empty()) r.api_first_word = network_text(d->api.first_word());
      fd.packets.push_back(unpack(d->api.first_sentence_packet()));
    }
    fd.message = fmt::format(
        "RouterOS API spoken in plaintext between {} and {} ({}, first \"{}\")", r.client.str(),
        r.server.str(), counted(r.api_sentences, "sentence"), r.api_first_word);
    for (const DirSink* d : dirs)
      for (const ApiLogin& login : d->api.logins())
        if (login.empty_secret)
          fd.message += fmt::format(
              "; it carried a /login for user '{}' with an empty secret (no credential "
              "crossed{})",
              network_text(login.user),
              login.user == routeros::kDetectionUser ? ": vantage's own detection probe" : "");
    findings.push_back(std::move(fd));
    for (const DirSink* d : dirs) {
      for (const ApiLogin& login : d->api.logins()) {
        if (login.empty_secret) continue;  // reported with the plaintext flow above
        Finding c = flow_finding(r, "credential-exposure", "critical");
        c.user = network_text(login.user);  // RouterOS text is cp1252
        c.message = fmt::format(
            "credential exposed: /login for user '{}' from {} to {} carried {} in plaintext "
            "(the secret itself is not recorded)",
            c.user, r.client.str(), r.server.str(),
            login.password ? std::string(routeros::kPasswordAttribute)
                           : std::string(routeros::kResponseAttribute) +
                                 " (a crackable MD5 challenge response)");
        add_span(c, unpack(login.first_packet), unpack(login.last_packet));
        findings.push_back(std::move(c));
      }
    }
  }
  // HTTP credentials in clear (the REST API on plain www, or anything else).
  for (const DirSink* d : dirs) {
    for (const HttpCredential& h : d->http.credentials()) {
      Finding c = flow_finding(r, "credential-exposure", "critical");
      c.user = network_text(h.user);
      const std::string scheme =
          h.scheme.empty() ? std::string("credential") : network_text(h.scheme);
      c.message = fmt::format(
          "credential exposed: HTTP {} {} {}from {} to {} in plaintext (the secret itself is "
          "not recorded)",
          network_text(h.header), scheme,
          c.user.empty() ? std::string() : fmt::format("for user '{}' ", c.user), r.client.str(),
          r.server.str());
      add_span(c, unpack(h.first_packet), unpack(h.last_packet));
      findings.push_back(std::move(c));
    }
  }
  if (std::find(tls_ports.begin(), tls_ports.end(), r.server.port) != tls_ports.end() &&
      (r.cls == FlowClass::kRouterosApiPlaintext || r.cls == FlowClass::kOtherPlaintext)) {
    Finding fd = flow_finding(r, "non-tls-on-tls-port", "medium");
    fd.message = fmt::format("{} to TLS port {} is not TLS ({})", r.client.str(), r.server.port,
                             to_string(r.cls));
    fd.packets.push_back(r.first_packet);
    findings.push_back(std::move(fd));
  }
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (severity_rank(a.severity) != severity_rank(b.severity))
      return severity_rank(a.severity) < severity_rank(b.severity);
    return a.flow_id < b.flow_id;
  });
}

const char* to_string(FlowClass c) {
  switch (c) {
    case FlowClass::kNoPayload: return "no-payload";
    case FlowClass::kRouterosApiPlaintext: return "routeros-api-plaintext";
    case FlowClass::kTls: return "tls";
    case FlowClass::kOtherPlaintext: return "other-plaintext";
  }
  return "?";
}

bool AnalysisResult::exposure() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.kind == "plaintext-api" || f.kind == "credential-exposure";
  });
}

}  // namespace vantage::capture
