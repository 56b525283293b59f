#pragma once
// Lab configs for tests, built in code so each test states what it changes.
#include "lab/config.hpp"

namespace vantage::lab::testing {

inline LabConfig base_config() {
  LabConfig c;
  c.identity = "lab-rtr";
  c.listen = {"127.0.0.1"};
  c.groups = builtin_groups();
  c.groups["audit"] = {"read", "api", "rest-api"};
  c.groups["noapi"] = {"read", "write", "ssh"};
  c.users = {
      User{"admin", "full", "secret", {}, false},
      User{"audit", "audit", "auditpw", {}, false},
      User{"console", "noapi", "consolepw", {}, false},
  };
  Service api;
  api.name = "api";
  api.port = 0;
  c.services["api"] = api;
  c.limits.login_timeout = std::chrono::milliseconds(5000);
  c.limits.idle_timeout = std::chrono::milliseconds(10000);
  return c;
}

inline Service tls_service(const char* name, Certificate::Kind kind) {
  Service s;
  s.name = name;
  s.port = 0;
  s.certificate.kind = kind;
  return s;
}

}  // namespace vantage::lab::testing
