#pragma once
// The lab router's configuration, modelled on RouterOS's own settings so a
// lab file reads like a router config:
//
//   { "identity": "lab-rtr", "version": "7.21", "listen": ["127.0.0.1"],
//     "services": {
//       "api":     {"disabled": false, "port": 8728, "address": ["192.0.2.0/24"],
//                   "disallowed": "reset", "max-sessions": 20, "accept-delay-ms": 0},
//       "api-ssl": {"port": 8729, "certificate": {"cert": "rtr.pem", "key": "rtr.key",
//                   "chain": "ca.pem"}, "tls-version": "only-1.2", "legacy-tls": false},
//       "www":     {"port": 8080}, "www-ssl": {"port": 8443, "certificate": "self-signed"} },
//     "webserver": {"rest-plain": false},
//     "groups": {"audit": ["read", "api", "rest-api"]},
//     "users": [{"name": "audit", "group": "audit", "password_env": "LAB_AUDIT_PASSWORD"}],
//     "lab": {"idle-timeout-ms": 60000} }
//
// Services the file does not list are not served. Paths are relative to the
// config file. Passwords may be given inline ("password": lab configs are
// test fixtures) or by "password_env" / "password_file"; they are never logged.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_config.hpp"
#include "lab/prefix.hpp"
#include "routeros/decoder.hpp"

namespace vantage::lab {

// What a client from outside a service's address list sees. RouterOS's own
// behaviour is unverified, so the lab can play each.
enum class Disallowed {
  kReset,   // handshake completes (the kernel does that), then RST
  kClose,   // handshake completes, then an orderly close (FIN)
  kSilent,  // handshake completes, then nothing until the idle deadline
};

enum class TlsVersion { kAny, kOnly12 };

// The services a lab router can serve: one row each, in RouterOS's
// /ip/service order. A new service is a row here plus, for a new protocol,
// its connection type in router.cpp.
struct ServiceKind {
  enum class Protocol { kApi, kHttp };  // what is spoken (inside TLS for tls rows)
  const char* name;
  std::uint16_t default_port;  // RouterOS's default
  bool tls;
  Protocol protocol;
};
inline constexpr ServiceKind kServiceKinds[] = {
    {"www", 80, false, ServiceKind::Protocol::kHttp},
    {"www-ssl", 443, true, ServiceKind::Protocol::kHttp},
    {"api", 8728, false, ServiceKind::Protocol::kApi},
    {"api-ssl", 8729, true, ServiceKind::Protocol::kApi},
};
// The row named `name`, or nullptr.
const ServiceKind* service_kind(std::string_view name);

struct Certificate {
  enum class Kind {
    kNone,        // "none": anonymous DH suites only, TLS 1.2 at most
    kFiles,       // PEM files
    kSelfSigned,  // "self-signed": a CA and a server certificate made in memory at start()
  };
  Kind kind = Kind::kNone;
  std::string cert_file, key_file, chain_file;  // kFiles (chain optional)
};

struct Service {
  std::string name;  // api, api-ssl, www, www-ssl
  bool disabled = false;
  std::uint16_t port = 0;       // 0 = ephemeral (tests); Router::port() tells the real one
  std::vector<Prefix> address;  // empty = from anywhere
  Disallowed disallowed = Disallowed::kReset;
  int max_sessions = 0;  // 0 = unlimited
  // Lab only, no RouterOS setting: a served connection waits this long after
  // accept before its TLS handshake (api-ssl) or before its first read (api),
  // like a slow board signing with RSA-4096 or a loaded router. Refusals
  // (address list, max-sessions) are not delayed.
  std::chrono::milliseconds accept_delay{0};
  // TLS services only.
  Certificate certificate;
  TlsVersion tls_version = TlsVersion::kAny;
  bool legacy_tls = false;  // also TLS 1.0 and 1.1 (at SECLEVEL 0), like older routers

  bool tls() const;  // its ServiceKind is a TLS one
  bool allows(std::string_view peer) const;
};

struct User {
  std::string name;
  std::string group;
  std::string password;         // resolved at load time; never logged or printed
  std::vector<Prefix> address;  // empty = from anywhere
  bool disabled = false;
  std::string last_logged_in;  // as /user print shows it until the first login here
};

// /system/resource, /system/package/update and /system/clock ("system" key).
struct SystemInfo {
  std::string board_name = "CHR";
  std::string architecture = "x86_64";
  std::string latest_version;  // "" = not known (no update check done)
  std::string channel = "stable";
  // Lab only: the router's clock runs this far ahead (negative: behind) of
  // the host's, for /system/clock and every log timestamp.
  std::chrono::seconds clock_skew{0};
};

// One /ip/firewall/filter rule ("firewall": {"filter": [...]}), RouterOS's names.
struct FilterRule {
  std::string chain = "input";
  std::string action = "accept";  // accept, drop, reject, log
  std::string protocol;           // "" = any; tcp, udp, icmp
  std::string dst_port;           // "8728,8729" or "8000-8100"
  std::string src_address;        // "192.0.2.0/24"; may start with '!'
  std::string src_address_list;   // a list name; may start with '!'
  std::string reject_with;        // action=reject only, e.g. tcp-reset
  bool log = false;
  std::string log_prefix;
  std::string comment;
  bool disabled = false;
};

// One /ip/firewall/address-list entry.
struct AddressListEntry {
  std::string list;
  Prefix address;
  std::string comment;
  bool disabled = false;
};

// A /certificate record from the config. A record named as a served
// certificate ("lab-api-ssl") replaces what the lab would show for it, so a
// config can make the router's record differ from what it serves.
struct CertificateRecord {
  std::string name, common_name, fingerprint, invalid_after;
};

struct LabLimits {
  std::chrono::milliseconds idle_timeout{300'000};
  std::chrono::milliseconds login_timeout{30'000};
  std::size_t max_connections = 256;  // all services together; bounds fds
  std::size_t log_size = 1000;        // entries kept (a ring, like RouterOS memory logging)
  routeros::Limits codec;
};

struct LabConfig {
  std::string identity = "MikroTik";
  std::string version = "7.21";  // < 6.43: challenge login only; < 7.18: no !empty
  std::vector<std::string> listen = {"127.0.0.1"};
  std::map<std::string, Service> services;              // only the configured ones
  std::map<std::string, std::set<std::string>> groups;  // name -> policies
  std::vector<User> users;
  bool rest_plain = true;  // /ip service webserver rest-plain (7.21+): /rest on plain www
  SystemInfo system;
  std::vector<FilterRule> filter;
  std::vector<AddressListEntry> address_list;
  std::vector<CertificateRecord> certificates;
  int nflog_group = 0;  // 0 = no NFLOG; else log=yes rules log to this group
  LabLimits limits;

  const Service* service(std::string_view name) const;
};

// Every policy name RouterOS knows (group "policy" values).
const std::vector<std::string>& known_policies();
// RouterOS's built-in groups read, write, full; config groups add to or replace them.
std::map<std::string, std::set<std::string>> builtin_groups();

// Throw ConfigError with every problem found (file:line:col, JSON path, did-you-mean).
LabConfig load_config(const std::string& path);
LabConfig parse_config(const ConfigDoc& doc);

// The "system", "firewall" and "certificates" keys (config_state.cpp).
void parse_state(const json& root, const std::string& base, LabConfig& cfg, Diagnostics& diags);

// Version comparison on dotted numbers ("6.45.1" < "7.21").
bool version_less(std::string_view a, std::string_view b);

}  // namespace vantage::lab
