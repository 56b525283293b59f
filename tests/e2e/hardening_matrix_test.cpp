// The product's acceptance test: the shipped hardening scenario, unchanged,
// against the emulated RouterOS in a real namespace topology (lab_topology.hpp),
// in the hardened state and in each way the hardening goes wrong. vantage's
// capture runs in the router namespace; vantage runs from the root namespace
// with netns sources. Each row asserts the exact set of failing check ids,
// that every other check passes, the exit code, and that each failure message names the cause.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/e2e/lab_topology.hpp"

using namespace vantage::testing;
using nlohmann::json;

namespace {

const std::string kSrc = VANTAGE_SOURCE_DIR;

struct Row {
  std::string name;
  std::function<void(json& lab)> configure = [](json&) {};
  std::string cert = "good";
  bool legit_plaintext_client = false;
  // Failing check id -> words its message must contain (any one of them).
  std::map<std::string, std::vector<std::string>> failing;
  int exit_code = 1;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.name;
}

class HardeningMatrix : public ::testing::TestWithParam<Row> {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TempDir();
    sh(kSrc + "/tests/e2e/make_hardening_certs.sh " + certs_->path());
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }
  static TempDir* certs_;
};
TempDir* HardeningMatrix::certs_ = nullptr;

}  // namespace

TEST_P(HardeningMatrix, Row) {
  const Row& row = GetParam();
  LabTopology topo;
  json lab = hardened_lab(certs_->path(), row.cert);
  row.configure(lab);
  topo.start(lab);
  const TempDir& tmp = topo.tmp;

  std::unique_ptr<Process> legit;
  if (row.legit_plaintext_client) {
    // A legitimate admin script logging in over plain api, again and again,
    // for as long as the audit runs (bounded: 60 logins).
    tmp.write("legit.py", R"(import sys, time, librouteros
for i in range(60):
    try:
        api = librouteros.connect(host="192.0.2.1", username="legit", password=sys.argv[1], port=8728, timeout=2)
        list(api.path("/system/identity"))
        api.close()
    except Exception as e:
        print("legit client:", e, flush=True)
    time.sleep(0.25)
)");
    legit = std::make_unique<Process>(
        std::vector<std::string>{"ip", "netns", "exec", topo.mgmt.name(), "/usr/bin/python3",
                                 tmp.file("legit.py"), kLegitPassword},
        tmp.file("legit.log"));
  }

  const std::string out_dir = tmp.file("out");
  std::string out, err;
  int rc = topo.run({"routeros-api-hardening.json"}, certs_->path(), {}, &out, &err);
  legit.reset();
  const std::string diag = topo.diag(out, err);
  EXPECT_EQ(rc, row.exit_code) << diag;

  json report = topo.report();
  std::set<std::string> failing, passing;
  std::map<std::string, std::string> messages;
  for (const auto& t : report["scenarios"][0]["targets"]) {
    for (const auto& c : t["checks"]) {
      const std::string id = c["id"];
      const std::string status = c["verdict"]["status"];
      if (status == "pass") {
        passing.insert(id);
      } else {
        failing.insert(id);
        messages[id] += c["verdict"]["message"].get<std::string>() + " | ";
      }
    }
  }
  std::set<std::string> want;
  for (const auto& [id, words] : row.failing) want.insert(id);
  EXPECT_EQ(failing, want) << diag;
  for (const auto& [id, words] : row.failing) {
    if (!messages.count(id)) continue;
    bool named = words.empty();
    for (const auto& w : words) named = named || messages[id].find(w) != std::string::npos;
    EXPECT_TRUE(named) << id << " message does not name the cause ("
                       << ::testing::PrintToString(words) << "): " << messages[id];
  }
  EXPECT_GE(passing.size() + failing.size(), 12u);

  // Secrets: no password in any output, the pcap included.
  for (const auto& e : std::filesystem::directory_iterator(out_dir)) {
    const std::string text = tmp.read("out/" + e.path().filename().string());
    for (const auto& pw : {kAuditPassword, kAdminPassword, kLegitPassword})
      EXPECT_EQ(text.find(pw), std::string::npos) << pw << " leaked into " << e.path();
  }
  for (const auto& pw : {kAuditPassword, kAdminPassword, kLegitPassword}) {
    EXPECT_EQ(out.find(pw), std::string::npos);
    EXPECT_EQ(err.find(pw), std::string::npos);
  }
}

namespace {

// Row 4: every check that needs mgmt to reach 8729 says so in those words.
const std::vector<std::string> kUnreachable = {"mgmt cannot reach"};

std::vector<Row> rows() {
  std::vector<Row> r;
  r.push_back({.name = "hardened", .failing = {}, .exit_code = 0});
  r.push_back({.name = "plain_api_enabled",
               .configure = [](json& l) { l["services"]["api"]["disabled"] = false; },
               .failing = {{"plain-api-closed", {"open"}},
                           {"plain-api-silent", {"api service is enabled", "answered"}},
                           {"no-plaintext-api", {"plaintext"}}}});
  r.push_back({.name = "firewall_drop_missing",
               .configure = [](json& l) { l["firewall"]["filter"].erase(1); },
               .failing = {{"api-ssl-from-outside", {"service-refused", "open"}}}});
  r.push_back({.name = "accept_after_drop",
               .configure =
                   [](json& l) {
                     auto& f = l["firewall"]["filter"];
                     std::swap(f[0], f[1]);
                   },
               .failing = {{"api-ssl-from-mgmt", {"filtered"}},
                           // mgmt-other is on the trusted network too: the firewall, not the
                           // service address list, turned it away, and the check says so.
                           {"api-ssl-service-restricted", {"never accepted"}},
                           {"api-ssl-tls-versions", kUnreachable},
                           {"api-ssl-ciphers", kUnreachable},
                           {"api-ssl-certificate", kUnreachable},
                           {"audit-login-over-tls", kUnreachable},
                           {"audit-least-privilege", kUnreachable}}});
  r.push_back({.name = "reject_instead_of_drop",
               .configure =
                   [](json& l) {
                     auto& drop = l["firewall"]["filter"][1];
                     drop["action"] = "reject";
                     drop["reject-with"] = "icmp-admin-prohibited";
                     drop["log-prefix"] = "REJECT API: ";
                   },
               .failing = {{"api-ssl-from-outside", {"unreachable"}}}});
  r.push_back({.name = "certificate_none",
               .configure = [](json& l) { l["services"]["api-ssl"]["certificate"] = "none"; },
               .failing = {{"api-ssl-ciphers", {"anonymous"}},
                           {"api-ssl-certificate", {"unauthenticated"}},
                           // Credentials are never sent to an endpoint that cannot prove who it is.
                           {"audit-login-over-tls", {"certificate", "handshake", "TLS"}},
                           {"audit-least-privilege", {"certificate", "handshake", "TLS"}}}});
  r.push_back({.name = "legacy_tls",
               .configure =
                   [](json& l) {
                     l["services"]["api-ssl"]["tls-version"] = "any";
                     l["services"]["api-ssl"]["legacy-tls"] = true;
                   },
               .failing = {{"api-ssl-tls-versions", {"TLSv1.0", "TLS 1.0"}}}});
  for (const std::string cert : {"expired", "wrongname", "rsa1024"}) {
    r.push_back({.name = "certificate_" + cert,
                 .cert = cert,
                 .failing = {{"api-ssl-certificate",
                              {cert == "expired"     ? "expired"
                               : cert == "wrongname" ? "name"
                                                     : "1024"}},
                             {"audit-login-over-tls", {"certificate", "verif"}},
                             {"audit-least-privilege", {"certificate", "verif"}}}});
  }
  r.push_back({.name = "certificate_expires_soon",
               .cert = "short",
               .failing = {{"api-ssl-certificate", {"days"}}}});
  r.push_back({.name = "audit_user_can_write",
               .configure =
                   [](json& l) {
                     l["groups"]["audit"] = {"read", "write", "api", "rest-api"};
                   },
               .failing = {{"audit-least-privilege", {"write"}}}});
  r.push_back({.name = "rest_on_plain_www",
               .configure =
                   [](json& l) {
                     l["services"]["www"]["disabled"] = false;
                     l["webserver"]["rest-plain"] = true;
                   },
               .failing = {{"rest-not-on-plain-http", {"REST", "rest"}}}});
  r.push_back({.name = "legit_plaintext_login",
               .configure = [](json& l) { l["services"]["api"]["disabled"] = false; },
               .legit_plaintext_client = true,
               .failing = {{"plain-api-closed", {"open"}},
                           {"plain-api-silent", {"api service is enabled", "answered"}},
                           {"no-plaintext-api", {"credential"}}}});
  r.push_back({.name = "service_address_list_missing",
               .configure = [](json& l) { l["services"]["api-ssl"]["address"] = json::array(); },
               .failing = {{"api-ssl-service-restricted", {"restricted", "login", "answered"}}}});
  r.push_back({.name = "no_firewall",
               .configure = [](json& l) { l["firewall"]["filter"] = json::array(); },
               .failing = {{"api-ssl-from-outside", {"service-refused", "open"}}}});
  return r;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Rows, HardeningMatrix, ::testing::ValuesIn(rows()),
                         [](const auto& row_info) { return row_info.param.name; });
