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

// vantage's own plaintext detection and nothing more: the client sent one
// /login as routeros::kDetectionUser with every secret empty, every byte of
// it decoded from the stream's start, and the server sent nothing or only
// TLS (api-ssl after vantage's handshake timed out). Any API answer, any other
// client sentence or byte, a secret, or bytes the capture missed: false.
bool own_detection_only(const FlowRecord& r, const LiveFlow& lf) {
  const ApiSniffer& client = lf.c2s_sink.api;
  if (r.cut_short || r.c2s.gaps > 0 || r.s2c.gaps > 0 || r.c2s.midstream || r.s2c.midstream)
    return false;
  if (!client.whole() || client.sentences() != 1 || client.logins().size() != 1) return false;
  const ApiLogin& login = client.logins().front();
  if (login.user != routeros::kDetectionUser || !login.empty_secret) return false;
  if (lf.s2c_sink.api.verdict() == ApiSniffer::Verdict::kApi) return false;
  const TlsRecordWalker& server_tls = lf.s2c_sink.tls;
  return r.bytes_s2c == 0 ||
         (server_tls.verdict() == TlsRecordWalker::Verdict::kTls && server_tls.desyncs() == 0);
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
  const bool own_detection = r.cls == FlowClass::kRouterosApiPlaintext && own_detection_only(r, lf);
  if (own_detection) {
    const ApiSniffer& client = lf.c2s_sink.api;
    r.api_sentences = client.sentences();
    r.api_first_word = network_text(client.first_word());
    Finding fd = flow_finding(r, "detection-login", "info");
    fd.message = fmt::format(
        "only vantage's own plaintext detection crossed from {} to {}: a /login for user '{}' "
        "with an empty secret, and the server {} (no credential, no API answer)",
        r.client.str(), r.server.str(), routeros::kDetectionUser,
        r.bytes_s2c == 0 ? "sent nothing" : "answered only in TLS");
    add_span(fd, unpack(client.logins().front().first_packet),
             unpack(client.logins().front().last_packet));
    r.notes.push_back(fd.message);
    findings.push_back(std::move(fd));
  } else if (r.cls == FlowClass::kRouterosApiPlaintext) {
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
            login.password ? fmt::format("{}", routeros::kPasswordAttribute)
                           : fmt::format("{} (a crackable MD5 challenge response)",
                                         routeros::kResponseAttribute));
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
  if (!own_detection &&
      std::find(tls_ports.begin(), tls_ports.end(), r.server.port) != tls_ports.end() &&
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
