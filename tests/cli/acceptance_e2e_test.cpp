// Post-change acceptance end to end, on the emulated router: the hardened lab
// is the baseline; one change (plain api turned on) must show as exactly the
// new failures it causes, gate --fail-on-new (exit 1), be waivable (exit 0,
// `waived` in every format) and come back when the waiver expires (exit 1).
// The shipped scenario runs unchanged, capture check included (root).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "core/json_config.hpp"
#include "lab/router.hpp"
#include "tests/support/topology.hpp"

namespace vantage {
namespace {

using testing::run_vantage;
using testing::TempDir;

const std::string kSrc = VANTAGE_SOURCE_DIR;

// A loopback port nothing listens on now: where plain api will appear.
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The shipped hardened lab on ephemeral loopback ports; `plain_api` turns
// api on at `api_port` (the change under test).
struct Lab {
  std::unique_ptr<lab::Router> router;
  Lab(bool plain_api, std::uint16_t api_port) {
    ::setenv("LAB_AUDIT_PASSWORD", "e2e-audit-pw-1", 1);
    ::setenv("LAB_ADMIN_PASSWORD", "e2e-admin-pw-1", 1);
    ::setenv("VT_E2E_AUDIT", "e2e-audit-pw-1", 1);
    auto cfg = lab::parse_config(ConfigDoc::load(kSrc + "/lab/configs/hardened.json"));
    cfg.listen = {"127.0.0.1"};
    for (auto& [name, svc] : cfg.services) svc.port = 0;
    cfg.services["api"].disabled = !plain_api;
    cfg.services["api"].port = api_port;
    router = std::make_unique<lab::Router>(cfg);
    router->start();
  }
  // --vars for the shipped scenario, as the demo sets them.
  std::string vars(const TempDir& d, std::uint16_t api_port) const {
    d.write("ca.pem", router->ca_pem());
    json v = {{"router", "127.0.0.1"},
              {"router_name", router->identity()},
              {"server_name", router->identity()},
              {"ca_file", d.file("ca.pem")},
              {"password_env", "VT_E2E_AUDIT"},
              {"api_port", std::to_string(api_port)},
              {"api_ssl_port", std::to_string(router->port("api-ssl"))},
              {"www_port", std::to_string(free_port())},
              {"mgmt_address", "127.0.0.2"},
              {"mgmt_other_address", "127.0.0.3"},
              {"outside_address", "127.0.0.4"},
              {"capture_interface", "lo"}};
    d.write("vars.json", v.dump());
    return d.file("vars.json");
  }
};

struct Run {
  int rc;
  std::string out;
};

Run run(const std::string& vars, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run",        kSrc + "/scenarios/routeros-api-hardening.json",
                                   "--vars",     vars,
                                   "--no-color", "--per-target",
                                   "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  Run r;
  std::string err;
  r.rc = run_vantage(args, &r.out, &err);
  r.out += err;
  return r;
}

// "id [source]" of every check in a JSON report with this baseline change.
std::set<std::string> with_change(const std::string& report, const std::string& change) {
  std::set<std::string> out;
  const json doc = json::parse(report);  // named: a temporary dies before the loop runs
  for (const auto& sc : doc["scenarios"])
    for (const auto& t : sc["targets"])
      for (const auto& c : t["checks"])
        if (c["baseline"] == change)
          out.insert(c["id"].get<std::string>() +
                     (c["source"].is_string() ? " [" + c["source"].get<std::string>() + "]" : ""));
  return out;
}

std::string waivers(const std::string& expires) {
  return R"({"vantage": 1, "waivers": [{"check": "plain-api-silent", "target": "core-*",
    "source": "mgmt", "justification": "CHG-4711: legacy NMS needs plain api until Friday",
    "owner": "netops", "expires": ")" +
         expires + R"("}]})";
}

TEST(AcceptanceE2e, BaselineChangeWaiverExpiry) {
  TempDir d;
  const std::uint16_t api_port = free_port();
  // 1. The hardened lab is the baseline.
  std::string base_vars;
  {
    Lab before(false, api_port);
    base_vars = before.vars(d, api_port);
    const auto b = run(base_vars, {"--json", d.file("baseline.json")});
    ASSERT_NE(b.rc, 2) << b.out;  // it ran; its failures (if any) are known debt
  }

  // 2. The change: plain api on. Exactly its own failures are new.
  Lab after(true, api_port);
  const std::string vars = after.vars(d, api_port);
  const auto a = run(vars, {"--baseline", d.file("baseline.json"), "--fail-on-new", "--json",
                            d.file("after.json")});
  EXPECT_EQ(a.rc, 1) << a.out;
  const auto fresh = with_change(d.read("after.json"), "new-failure");
  const std::set<std::string> expected = {"plain-api-closed [mgmt]", "plain-api-closed [outside]",
                                          "plain-api-silent [mgmt]", "no-plaintext-api"};
  EXPECT_EQ(fresh, expected) << a.out;
  EXPECT_EQ(a.out.rfind("changes against baseline ", 0), 0u) << "the change summary comes first\n"
                                                             << a.out;
  EXPECT_NE(a.out.find("4 new failures, 0 fixed"), std::string::npos) << a.out;
  EXPECT_TRUE(with_change(d.read("after.json"), "gone").empty());

  // 3. The change's failures are waived (CHG-4711), plain-api-silent's waiver last.
  d.write("waivers.json",
          R"({"vantage": 1, "waivers": [)"
          R"({"check": "plain-api-closed", "target": "core-*", "justification": "CHG-4711",
              "owner": "netops", "expires": "2999-12-31"},
             {"check": "no-plaintext-api", "justification": "CHG-4711", "owner": "netops",
              "expires": "2999-12-31"},)" +
              waivers("2999-12-31").substr(std::string(R"({"vantage": 1, "waivers": [)").size()));
  const auto w = run(vars, {"--baseline", d.file("baseline.json"), "--fail-on-new", "--waivers",
                            d.file("waivers.json"), "--report-dir", d.file("reports")});
  EXPECT_EQ(w.rc, 0) << w.out;
  EXPECT_NE(w.out.find("WAIVED  plain-api-silent"), std::string::npos) << w.out;
  EXPECT_NE(w.out.find("waived by netops until 2999-12-31: CHG-4711: legacy NMS"),
            std::string::npos)
      << w.out;
  const std::string json_text = d.read("reports/report.json");
  EXPECT_NE(json_text.find("\"status\": \"waived\""), std::string::npos);
  EXPECT_NE(d.read("reports/report.xml").find("waived: "), std::string::npos);
  EXPECT_NE(d.read("reports/report.html").find("WAIVED"), std::string::npos);
  const auto sarif = json::parse(d.read("reports/report.sarif"));
  int suppressed = 0;
  for (const auto& r : sarif["runs"][0]["results"])
    suppressed += r.contains("suppressions") && r["properties"]["vantageStatus"] == "waived";
  EXPECT_EQ(suppressed, 4);
  for (const char* f : {"report.json", "report.xml", "report.html", "report.sarif"})
    EXPECT_EQ(d.read(std::string("reports/") + f).find("e2e-audit-pw-1"), std::string::npos) << f;

  // 4. The waiver on plain-api-silent expires: that failure gates again.
  d.write(
      "waivers.json",
      d.read("waivers.json").replace(d.read("waivers.json").rfind("2999-12-31"), 10, "2020-01-31"));
  const auto x = run(vars, {"--baseline", d.file("baseline.json"), "--fail-on-new", "--waivers",
                            d.file("waivers.json")});
  EXPECT_EQ(x.rc, 1) << x.out;
  EXPECT_NE(x.out.find("expired on 2020-01-31 and no longer waives"), std::string::npos) << x.out;
  EXPECT_NE(x.out.find("exit 1: 1 new failure"), std::string::npos) << x.out;
}

}  // namespace
}  // namespace vantage
