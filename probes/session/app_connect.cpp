#include "probes/session/app_connect.hpp"

#include <cerrno>
#include <filesystem>

#include "tls/server_response.hpp"
#include "tls/tls_stream.hpp"
#include "tls/version.hpp"

namespace vantage::probes {

const char* to_string(Contact c) {
  switch (c) {
    case Contact::kOpen: return "open";
    case Contact::kTcpClosed: return "tcp-closed";
    case Contact::kTcpFiltered: return "tcp-filtered";
    case Contact::kTcpUnreachable: return "tcp-unreachable";
    case Contact::kResetAfterAccept: return "reset-after-accept";
    case Contact::kCloseAfterAccept: return "closed-after-accept";
    case Contact::kSilent: return "silent-after-accept";
    case Contact::kTlsFailed: return "tls-failed";
    case Contact::kSetupError: return "setup-error";
  }
  return "?";
}

const char* restriction_mode(Contact c) {
  switch (c) {
    case Contact::kResetAfterAccept: return "reset";
    case Contact::kCloseAfterAccept: return "close";
    case Contact::kSilent: return "silent";
    default: return "";
  }
}

Contact contact_from_io(net::IoResult::Status s) {
  switch (s) {
    case net::IoResult::Status::kEof: return Contact::kCloseAfterAccept;
    case net::IoResult::Status::kReset: return Contact::kResetAfterAccept;
    case net::IoResult::Status::kTimeout: return Contact::kSilent;
    default: return Contact::kSetupError;
  }
}

TlsSettings parse_tls_settings(const json& check, const JsonPath& path, Diagnostics& diags,
                               const ParseEnv& env) {
  TlsSettings t;
  t.enabled = get_bool(check, path, "tls", diags).value_or(false);
  t.server_name = get_string(check, path, "server_name", diags).value_or("");
  t.ciphers = get_string(check, path, "ciphers", diags).value_or("");
  if (auto ca = get_string(check, path, "ca_file", diags)) {
    std::filesystem::path p(*ca);
    if (p.is_relative()) p = env.base_dir / p;
    if (!std::filesystem::exists(p))
      diags.error(path / "ca_file", "CA file not found: " + p.string());
    t.ca_file = p.string();
  }
  if (!t.enabled) {
    for (const char* k : {"server_name", "ca_file", "ciphers"})
      if (check.contains(k))
        diags.error(path / k, std::string("\"") + k + "\" applies only with \"tls\": true");
  }
  return t;
}

json tls_settings_schema() {
  return {
      {"tls", {{"type", "boolean"}, {"description", "speak through TLS (api-ssl, www-ssl)"}}},
      {"server_name",
       {{"type", "string"}, {"description", "SNI and the name verified with ca_file"}}},
      {"ca_file",
       {{"type", "string"},
        {"description", "verify the router's certificate against this CA (PEM) before speaking"}}},
      {"ciphers",
       {{"type", "string"},
        {"description",
         "OpenSSL cipher string, e.g. ADH:@SECLEVEL=0 for api-ssl with certificate=none; default: "
         "OpenSSL's, then anonymous DH if the router refuses those"}}},
  };
}

namespace {

// What a TLS handshake leaves of its connection's time for the quiet
// connection that confirms a refusal at accept: its longest wait and a margin.
constexpr std::chrono::milliseconds kQuietReserve{1700};

Contact from_tcp(net::TcpOutcome o) {
  switch (o) {
    case net::TcpOutcome::kOpen: return Contact::kOpen;
    case net::TcpOutcome::kClosed: return Contact::kTcpClosed;
    case net::TcpOutcome::kFiltered: return Contact::kTcpFiltered;
    case net::TcpOutcome::kUnreachable: return Contact::kTcpUnreachable;
    case net::TcpOutcome::kServiceRefused: return Contact::kCloseAfterAccept;
  }
  return Contact::kSetupError;
}

// One TCP connection; on success conn.stream is not set yet and fd is returned.
UniqueFd tcp_part(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                  Deadline dl, AppConnection& conn) {
  net::VantageOptions opt;
  opt.tcp.attempts = p.attempts;
  opt.tcp.settle = p.settle;
  net::VantageConnect c = ctx.connect(dst, opt, dl);
  net::ConnectResult& r = c.tcp;
  conn.remote = c.remote;
  conn.local_ip = r.local_ip;
  if (!c.local.empty()) conn.local = c.local;
  conn.source_mismatch = c.mismatch;
  if (!r.error.empty()) {
    conn.contact = Contact::kSetupError;
    conn.detail = r.error;
    return {};
  }
  conn.contact = from_tcp(r.outcome);
  if (r.outcome == net::TcpOutcome::kFiltered && r.attempts.empty()) {
    // No SYN left: the deadline had passed. "No answer" needs a question.
    conn.contact = Contact::kSetupError;
    conn.detail = "no connection was attempted: the check's time was used up before it";
    return {};
  }
  const auto& last = r.attempts.empty() ? net::ConnectAttempt{} : r.attempts.back();
  // A reset that lands before connect() reports success (loopback is that
  // fast) surfaces as SO_ERROR ECONNRESET: the handshake had completed (a RST
  // to a SYN is ECONNREFUSED), so it is a reset after accept, not unreachable.
  if (r.outcome == net::TcpOutcome::kUnreachable && !last.icmp && last.err == ECONNRESET) {
    conn.contact = Contact::kResetAfterAccept;
    conn.detail = "handshake completed, then reset before anything was sent";
    return {};
  }
  if (r.outcome == net::TcpOutcome::kServiceRefused && last.err != 0)
    conn.contact = Contact::kResetAfterAccept;
  conn.detail = net::outcome_words(r, net::OutcomeWords::kSessionDetail);
  if (r.outcome != net::TcpOutcome::kOpen) return {};
  return std::move(r.fd);
}

// A reset or close in answer to the ClientHello is ambiguous: a service
// restricted by address refuses at accept, a TLS stack refuses the hello.
// So is silence: a reset at accept that was lost (it is never resent) leaves
// the ClientHello to a firewall that drops it as invalid.
bool refuses_at_accept(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                       Deadline dl, AppConnection& conn) {
  const bool ambiguous =
      conn.contact == Contact::kSilent ||
      (conn.contact == Contact::kTlsFailed && conn.detail.find(", alert ") == std::string::npos &&
       (conn.detail.find("reset by peer") != std::string::npos ||
        conn.detail.find("closed by peer") != std::string::npos));
  if (!ambiguous) return false;
  AppConnection quiet;
  if (!refused_when_quiet(ctx, dst, p, dl, quiet)) return false;
  const std::string first = conn.detail;
  conn.contact = quiet.contact;
  conn.local = quiet.local;
  conn.detail = quiet.detail + " (the first connection got \"" + first + "\")";
  return true;
}

}  // namespace

bool refused_when_quiet(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                        Deadline dl, AppConnection& out) {
  using namespace std::chrono_literals;
  // On a slow or lossy link a refusal at accept can miss the settle window:
  // a lost ACK delays the server's accept by its SYN-ACK retransmit (1 s).
  // With the time, the quiet wait outlasts that plus a round trip; without,
  // it is the link's own settle window (net::settle_window, at least 200 ms),
  // which the TCP layer never shortens: a deadline inside it is an error
  // there, and the caller's error stands.
  // A reset is sent once and never resent: one lost on a lossy link leaves
  // the quiet connection open. An open one is therefore asked once more when
  // the time allows (a FIN is resent by the peer's TCP; it needs no second).
  for (int quiet = 0; quiet < 2; ++quiet) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(dl.at() - Clock::now());
    if (quiet > 0 && left < 1200ms) return false;
    ConnectParams once = p;
    once.attempts = 1;
    once.settle =
        left >= 1200ms ? std::min<std::chrono::milliseconds>(1500ms, left - 200ms) : 200ms;
    UniqueFd fd = tcp_part(ctx, dst, once, dl, out);
    if (out.contact == Contact::kResetAfterAccept || out.contact == Contact::kCloseAfterAccept) {
      out.detail += " on a connection that sent nothing";
      return true;
    }
    if (out.contact != Contact::kOpen) return false;
  }
  return false;
}

AppConnection app_connect(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                          Deadline dl) {
  AppConnection conn;
  UniqueFd fd = tcp_part(ctx, dst, p, dl, conn);
  if (!fd) return conn;
  if (!p.tls || !p.tls->enabled) {
    conn.stream = std::make_unique<net::PlainStream>(std::move(fd));
    return conn;
  }
  const TlsSettings& ts = *p.tls;
  auto handshake = [&](UniqueFd sock, const std::string& ciphers, bool anon) -> bool {
    tls::TlsOptions to;
    to.server_name = ts.server_name.empty() ? ctx.target.server_name : ts.server_name;
    if (to.server_name.empty() && !ts.ca_file.empty()) to.server_name = ctx.target.host;
    to.verify = !ts.ca_file.empty();
    to.ca_file = ts.ca_file;
    to.cipher_list = ciphers;
    if (anon) to.max_version = tls::Version::kTls12;  // ADH exists only up to TLS 1.2
    std::unique_ptr<tls::TlsStream> s;
    try {
      s = std::make_unique<tls::TlsStream>(std::move(sock), to);
    } catch (const std::exception& e) {
      conn.contact = Contact::kTlsFailed;
      conn.detail = e.what();
      return false;
    }
    // Time is kept for asking a quiet connection whether the service
    // refuses at accept (refuses_at_accept), when there is time to keep.
    const auto left = dl.at() - Clock::now();
    net::IoResult r =
        s->handshake(left > 2 * kQuietReserve ? Deadline(dl.at() - kQuietReserve) : dl);
    if (!r.ok()) {
      // Silence is what a refusing service can look like; a close or reset in
      // answer to the ClientHello (the settle window has passed) is a TLS
      // failure, never evidence of an address restriction.
      conn.contact =
          r.status == net::IoResult::Status::kTimeout ? Contact::kSilent : Contact::kTlsFailed;
      conn.detail = std::string("TLS handshake: ") + net::to_string(r.status) +
                    (r.detail.empty() ? "" : " (" + r.detail + ")");
      if (s->peer_alert()) conn.detail += ", alert " + tls::alert_name(*s->peer_alert());
      if (to.verify && !s->verify_error().empty())
        conn.detail += "; certificate not trusted: " + s->verify_error();
      return false;
    }
    conn.contact = Contact::kOpen;
    conn.tls_version = s->version();
    conn.tls_cipher = s->cipher();
    // No peer certificate: anonymous DH (or a man in the middle choosing it).
    // Such a session is never "verified", whatever OpenSSL's verify result.
    conn.anonymous = s->peer_chain().empty();
    conn.verified = to.verify && s->verified() && !conn.anonymous;
    conn.stream = std::move(s);
    return true;
  };
  if (handshake(std::move(fd), ts.ciphers, false)) return conn;
  if (refuses_at_accept(ctx, dst, p, dl, conn)) return conn;
  // RouterOS api-ssl with certificate=none offers only anonymous DH, which
  // OpenSSL's default list leaves out: retry with it unless the scenario chose
  // ciphers or asked for verification (anonymous suites cannot be verified).
  const bool refused_suites = conn.detail.find(", alert ") != std::string::npos ||
                              conn.detail.find("closed by peer") != std::string::npos ||
                              conn.detail.find("reset by peer") != std::string::npos;
  auto hint = [](AppConnection& c) {
    if (c.detail.find("wrong version number") != std::string::npos)
      c.detail += "; the port does not answer with TLS (a plain service? set \"tls\": false)";
  };
  if (!refused_suites || !ts.ciphers.empty() || !ts.ca_file.empty() || dl.expired()) {
    hint(conn);
    return conn;
  }
  const std::string first = conn.detail;
  AppConnection again;
  ConnectParams once = p;
  once.attempts = 1;
  once.settle = std::chrono::milliseconds(0);
  UniqueFd fd2 = tcp_part(ctx, dst, once, dl, again);
  if (!fd2) return conn;
  conn.local = again.local;
  if (!handshake(std::move(fd2), "aNULL:@SECLEVEL=0", true)) {
    conn.detail = first + "; with anonymous DH: " + conn.detail;
    hint(conn);
  }
  return conn;
}

}  // namespace vantage::probes
