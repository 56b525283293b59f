#pragma once
// Pieces the tls and certificate probes share: connecting from the check's
// vantage point (recording every connection), and certificate evidence.
#include <memory>
#include <mutex>
#include <string>

#include "net/sockaddr.hpp"
#include "probes/probe.hpp"
#include "tls/certificate.hpp"
#include "tls/scanner.hpp"

namespace vantage::probes {

// Connections made through one connector: the source address actually used,
// and the first mismatch with the source's configured address.
struct ConnectLog {
  std::mutex mu;
  std::string local_ip;
  std::string mismatch;
  std::size_t made = 0;
};

// Each call makes one TCP connection from ctx.source to dst (one attempt,
// bounded by the deadline it is given) and records it in ctx.run.
tls::Connector make_connector(const ProbeContext& ctx, const net::SockAddr& dst,
                              std::shared_ptr<ConnectLog> log);

// What an auditor copies into a finding.
json cert_evidence(const tls::CertInfo& c);

// The name a certificate must carry: the expectation's, else the target's
// server_name, else the target host.
std::string expected_server_name(const ProbeContext& ctx, const std::string& configured);

}  // namespace vantage::probes
