#include "net/vantage_connect.hpp"

#include <fmt/format.h>

#include <cstring>

#include "core/plural.hpp"

namespace vantage::net {

VantageConnect vantage_connect(const SourceSpec* src, const SockAddr& dst,
                               const VantageOptions& opt, Deadline dl,
                               const ConnectionRecorder& record) {
  VantageConnect c;
  const SourceSpec none;
  c.tcp = tcp_connect(src ? *src : none, dst, opt.tcp, dl);
  c.remote = dst.to_string();
  for (const auto& at : c.tcp.attempts) {
    if (at.local.empty()) continue;
    if (record && at.left_host) record(at.local, c.remote, at.sent);
    c.local = at.local;
  }
  if (src && src->address && !c.tcp.local_ip.empty() && c.tcp.local_ip != *src->address)
    c.mismatch =
        "source mismatch: asked for " + *src->address + " but the kernel used " + c.tcp.local_ip;
  return c;
}

namespace {

std::string icmp_text(const IcmpInfo& i) {
  std::string s = "ICMP type " + std::to_string(i.type) + " code " + std::to_string(i.code);
  if (i.type == 3 && i.code == 3) s += " (port unreachable)";
  if (i.type == 3 && i.code == 13) s += " (administratively prohibited)";
  if (i.type == 3 && i.code == 1) s += " (host unreachable)";
  if (!i.from.empty()) s += " from " + i.from;
  return s;
}

}  // namespace

std::string outcome_words(const ConnectResult& r, OutcomeWords style) {
  const bool probe = style == OutcomeWords::kProbeSummary;
  const ConnectAttempt last = r.attempts.empty() ? ConnectAttempt{} : r.attempts.back();
  switch (r.outcome) {
    case TcpOutcome::kOpen: return probe ? fmt::format("handshake in {:.2f} ms", last.rtt_ms) : "";
    case TcpOutcome::kClosed: return "RST in answer to SYN";
    case TcpOutcome::kFiltered:
      return (probe ? "no answer to " : "no answer to SYN (") +
             counted(r.attempts.size(), "attempt") + (probe ? "" : ")");
    case TcpOutcome::kUnreachable:
      if (!probe)
        return last.icmp ? "ICMP type " + std::to_string(last.icmp->type) + " code " +
                               std::to_string(last.icmp->code)
                         : "unreachable";
      return last.icmp ? icmp_text(*last.icmp) : std::strerror(last.err);
    case TcpOutcome::kServiceRefused: {
      const char* how = last.err == 0 ? "closed" : "reset";
      return probe ? fmt::format("accepted, then {} before any data", how)
                   : fmt::format("handshake completed, then {} before anything was sent", how);
    }
  }
  return "";
}

}  // namespace vantage::net
