#pragma once
// The lab router the application-probe tests start from.
#include <chrono>

#include "lab/config.hpp"

namespace vantage::testing {

// The lab router configuration the tests start from: api on an ephemeral
// port, users in a read-only audit group and in the full group.
inline lab::LabConfig lab_config() {
  lab::LabConfig c;
  c.identity = "lab-rtr";
  c.listen = {"127.0.0.1"};
  c.groups = lab::builtin_groups();
  c.groups["audit"] = {"read", "api", "rest-api"};
  c.users = {
      lab::User{"admin", "full", "Adm1n-Secret-42", {}, false},
      lab::User{"audit", "audit", "Aud1t-Secret-7q", {}, false},
  };
  lab::Service api;
  api.name = "api";
  api.port = 0;
  c.services["api"] = api;
  c.limits.login_timeout = std::chrono::milliseconds(5000);
  c.limits.idle_timeout = std::chrono::milliseconds(10000);
  return c;
}
inline constexpr const char* kAuditPassword = "Aud1t-Secret-7q";

}  // namespace vantage::testing
