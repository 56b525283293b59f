#pragma once
// The emulated router's state and its menu commands, shared by the API and
// the REST front ends. Thread-safe.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lab/config.hpp"
#include "lab/log.hpp"
#include "lab/query.hpp"

namespace vantage::lab {

// A logged-in user and what their group allows.
struct Principal {
  std::string user;
  std::set<std::string> policies;
  bool has(std::string_view policy) const { return policies.count(std::string(policy)) != 0; }
};

// A command as both front ends see it: "/system/identity/print" + "=a=b" args + "?q" words.
struct Request {
  std::string command;
  std::vector<std::pair<std::string, std::string>> args;
  std::vector<std::string> queries;
};

struct Trap {
  std::string message;
  std::optional<int> category;
};

struct Reply {
  enum class Kind {
    kOk,
    kNoSuchCommand,  // unknown menu or command
    kPermission,     // "not enough permissions (9)"
    kBadArgument,    // "unknown parameter ..." and friends
    kListen,         // /log/listen: the front end streams new log entries
  };
  Kind kind = Kind::kOk;
  bool is_print = false;  // rows are a listing (an empty one gets !empty on 7.18+)
  std::vector<Row> rows;
  std::vector<Trap> traps;
};

class RouterModel {
 public:
  explicit RouterModel(LabConfig cfg);

  const LabConfig& config() const { return cfg_; }
  LogBook& log() { return log_; }
  const LogBook& log() const { return log_; }

  // Checks the credentials, the user's address list, and that the group has
  // `policy` ("api" or "rest-api"); logs the success or failure as RouterOS does.
  std::optional<Principal> login(std::string_view user, std::string_view password,
                                 std::string_view peer, std::string_view service,
                                 std::string_view policy);
  // Pre-6.43 challenge login: `response` is "00" + hex MD5 over the challenge.
  std::optional<Principal> login_challenge(std::string_view user, std::string_view response,
                                           std::string_view challenge_hex, std::string_view peer,
                                           std::string_view service, std::string_view policy);
  void log_logout(std::string_view user, std::string_view peer, std::string_view service);

  Reply run(const Principal& who, const Request& req);

  std::string identity() const;
  static Row log_row(const LogEntry& e);
  // True when this firmware version answers an empty print with !empty (7.18+).
  bool sends_empty() const { return !version_less(cfg_.version, "7.18"); }

  // Live ports, for /ip/service/print (set by the server after binding).
  void set_bound_port(const std::string& service, std::uint16_t port);
  // The certificate a TLS service serves, for /certificate/print (set by the
  // server when it builds the service's TLS context).
  struct ServedCert {
    std::string common_name, fingerprint, invalid_after;
    std::string key_type;
  };
  void set_served_certificate(const std::string& service, ServedCert cert);
  // The name /ip/service and /certificate give the certificate of `service`.
  static std::string certificate_name(std::string_view service) {
    return "lab-" + std::string(service);
  }

  // The router's clock: the host's plus the config's system.clock-skew-s.
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::now() + cfg_.system.clock_skew;
  }
  // RouterOS's date-and-time format for this version: "2026-11-25 15:10:06"
  // (7.10+) or "nov/25/2026 15:10:06".
  std::string format_time(std::chrono::system_clock::time_point t) const;

  // True when `menu` ("/system/identity") holds one object, not a list of
  // items (REST answers a GET with an object).
  static bool singleton(std::string_view menu);

 private:
  struct Menu;  // a row of the menu table (model.cpp)
  static const std::vector<Menu>& menus();

  std::optional<Principal> finish_login(const User* u, bool ok, std::string_view user,
                                        std::string_view peer, std::string_view service,
                                        std::string_view policy);
  // Each menu's rows, and its setter (menu table).
  std::vector<Row> identity_rows() const;
  std::vector<Row> resource_rows() const;
  std::vector<Row> user_rows() const;
  std::vector<Row> group_rows() const;
  std::vector<Row> service_rows() const;
  std::vector<Row> log_rows() const;
  std::vector<Row> clock_rows() const;
  std::vector<Row> package_update_rows() const;
  std::vector<Row> filter_rows() const;
  std::vector<Row> address_list_rows() const;
  std::vector<Row> certificate_rows() const;
  Reply set_identity(const Principal& who, const Request& req);

  LabConfig cfg_;
  LogBook log_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  mutable std::mutex mu_;
  std::string identity_;
  std::map<std::string, std::uint16_t> bound_ports_;
  std::map<std::string, ServedCert> served_certs_;
  std::map<std::string, std::string> last_login_;  // user -> router time of their last login
};

// RouterOS's duration format: "1w2d3h4m5s", zero parts left out.
std::string routeros_duration(std::chrono::seconds s);

}  // namespace vantage::lab
