#include "probes/tls_common.hpp"

#include "net/tcp_connect.hpp"

namespace vantage::probes {

tls::Connector make_connector(const ProbeContext& ctx, const net::SockAddr& dst,
                              std::shared_ptr<ConnectLog> log) {
  const net::SourceSpec* src = ctx.source;
  RunState* run = &ctx.run;
  return [src, run, dst, log](Deadline dl) {
    tls::Connection c;
    net::ConnectOptions opt;
    opt.attempts = 1;
    net::SourceSpec none;
    auto r = net::tcp_connect(src ? *src : none, dst, opt, dl);
    for (const auto& at : r.attempts)
      if (!at.local.empty()) run->record_connection(at.local, dst.to_string());
    {
      std::lock_guard lock(log->mu);
      ++log->made;
      if (log->local_ip.empty()) log->local_ip = r.local_ip;
      if (src && src->address && !r.local_ip.empty() && r.local_ip != *src->address &&
          log->mismatch.empty())
        log->mismatch =
            "source mismatch: asked for " + *src->address + " but the kernel used " + r.local_ip;
    }
    if (!r.error.empty()) {
      c.error = r.error;
    } else if (r.outcome != net::TcpOutcome::kOpen || !r.fd) {
      c.error = std::string("TCP ") + net::to_string(r.outcome);
    } else {
      c.fd = std::move(r.fd);
    }
    return c;
  };
}

json cert_evidence(const tls::CertInfo& c) {
  json j = {{"subject", c.subject},
            {"issuer", c.issuer},
            {"serial", c.serial},
            {"not_before", c.not_before},
            {"not_after", c.not_after},
            {"days_left", c.days_left},
            {"dns_names", c.dns_names},
            {"ip_addresses", c.ip_addresses},
            {"sha256", c.sha256},
            {"spki_sha256", c.spki_sha256},
            {"pin_sha256", "sha256/" + c.spki_sha256_base64},
            {"key", c.key_type + " " + std::to_string(c.key_bits) +
                        (c.curve.empty() ? "" : " " + c.curve)},
            {"signature", c.signature},
            {"self_signed", c.self_signed},
            {"ca", c.is_ca}};
  if (c.has_eku) j["eku_server_auth"] = c.eku_server_auth;
  return j;
}

std::string expected_server_name(const ProbeContext& ctx, const std::string& configured) {
  if (!configured.empty()) return configured;
  if (!ctx.target.server_name.empty()) return ctx.target.server_name;
  return ctx.target.host;
}

}  // namespace vantage::probes
