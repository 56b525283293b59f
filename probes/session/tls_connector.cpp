#include "probes/session/tls_connector.hpp"

namespace vantage::probes {

tls::Connector make_connector(const ProbeContext& ctx, const net::SockAddr& dst,
                              std::shared_ptr<ConnectLog> log) {
  // The context outlives every scan that uses its connector.
  const ProbeContext* c = &ctx;
  return [c, dst, log](Deadline dl) {
    tls::Connection conn;
    net::VantageOptions opt;
    opt.tcp.attempts = 1;
    net::VantageConnect v = c->connect(dst, opt, dl);
    net::ConnectResult& r = v.tcp;
    {
      std::lock_guard lock(log->mu);
      ++log->made;
      if (log->local_ip.empty()) log->local_ip = r.local_ip;
      if (log->mismatch.empty()) log->mismatch = v.mismatch;
    }
    if (!r.error.empty()) {
      conn.error = r.error;
    } else if (r.outcome != net::TcpOutcome::kOpen || !r.fd) {
      conn.error = std::string("TCP ") + net::to_string(r.outcome);
    } else {
      conn.fd = std::move(r.fd);
    }
    return conn;
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
