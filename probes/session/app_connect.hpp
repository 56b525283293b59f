#pragma once
// Opening an application connection (routeros-api, rest) from the check's
// vantage point: TCP, optionally with a settle window (a service that accepts
// and then closes or resets is told apart before anything is sent), then
// optionally a TLS handshake through tls::TlsStream. Without a window, a
// close or reset in answer to the first bytes is confirmed on a quiet
// connection (refused_when_quiet), so the window is paid only by services
// that refuse. Every connection is recorded in the run state for capture
// self-validation.
#include <chrono>
#include <memory>
#include <string>

#include "net/sockaddr.hpp"
#include "net/stream.hpp"
#include "probes/probe.hpp"

namespace vantage::probes {

struct TlsSettings {
  bool enabled = false;
  std::string server_name;  // SNI / verified name; empty: the target's
  std::string ca_file;      // set: verify the chain and name against it
  std::string ciphers;      // OpenSSL cipher string (TLS <= 1.2); empty: default, then ADH
};

// Parses tls, server_name, ca_file, ciphers of a check.
TlsSettings parse_tls_settings(const json& check, const JsonPath& path, Diagnostics& diags,
                               const ParseEnv& env);
// Schema "properties" entries for those keys.
json tls_settings_schema();

// How far a connection got.
enum class Contact {
  kOpen,              // connected (and TLS established when asked)
  kTcpClosed,         // RST in answer to SYN
  kTcpFiltered,       // no answer to SYN
  kTcpUnreachable,    // ICMP unreachable
  kResetAfterAccept,  // handshake done, then RST before any answer
  kCloseAfterAccept,  // handshake done, then FIN before any answer
  kSilent,            // handshake done, then nothing before the deadline
  kTlsFailed,         // the TLS handshake failed (alert, protocol error, verification)
  kSetupError,        // could not even try (bad source, resolve)
};
const char* to_string(Contact c);
// The restriction mode a disallowed source saw ("reset", "close", "silent"), or "".
const char* restriction_mode(Contact c);

struct AppConnection {
  Contact contact = Contact::kSetupError;
  std::unique_ptr<net::Stream> stream;  // set when kOpen
  std::string remote;                   // ip:port
  std::string local;                    // ip:port actually used
  std::string local_ip;
  std::string detail;  // what happened, in words ("RST in answer to SYN", alert text)
  // TLS, after a completed handshake.
  std::string tls_version, tls_cipher;
  bool anonymous = false;       // anonymous DH (RouterOS certificate=none)
  bool verified = false;        // chain and name verified against ca_file
  std::string source_mismatch;  // the kernel used another source than configured
};

struct ConnectParams {
  const TlsSettings* tls = nullptr;
  std::chrono::milliseconds settle{0};  // none: see the top of this file
  int attempts = 1;
};

// One connection from ctx.source to dst, bounded by `dl`. Never throws for
// network outcomes; a bad cipher string or CA file is kTlsFailed with detail.
AppConnection app_connect(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                          Deadline dl);

// A close or reset that came after vantage spoke (a ClientHello, a /login)
// does not show where the service refused. This asks once more and says
// nothing: true when the service resets or closes a connection that sent
// nothing (a refusal at accept, how an address restriction looks), with that
// contact in `out`; false when it waits, or when too little time is left for
// the answer to mean anything.
bool refused_when_quiet(const ProbeContext& ctx, const net::SockAddr& dst, const ConnectParams& p,
                        Deadline dl, AppConnection& out);

// Maps a read/write failure before any answer to the contact it shows.
Contact contact_from_io(net::IoResult::Status s);

}  // namespace vantage::probes
