// An independent check that the plaintext probe never sends the real
// password: tcpdump captures the loopback traffic of a run, then the pcap's
// bytes are searched. A positive control (a real login over plain API with
// allow_plaintext_credentials) proves the search finds a password when it is
// there. Needs root (raw capture on lo): label root.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "lab/router.hpp"
#include "tests/probes/peers/lab_config.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/topology.hpp"

namespace vantage::probes {
namespace {

using vantage::testing::Process;
using vantage::testing::TempDir;

std::string slurp(const std::string& path) {
  return vantage::testing::read_file(path);
}

// Runs `body` while tcpdump writes the loopback packets of `ports` to `pcap`.
void captured(const TempDir& dir, const std::string& pcap, const std::vector<std::uint16_t>& ports,
              const std::function<void()>& body) {
  std::string filter;
  for (auto p : ports)
    filter += (filter.empty() ? "tcp port " : " or tcp port ") + std::to_string(p);
  const std::string log = dir.file(pcap + ".log");
  {
    Process dump({"tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode", "-s", "0", "-w",
                  dir.file(pcap), filter},
                 log);
    bool ready = false;
    for (int i = 0; i < 100 && !ready; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ready = slurp(log).find("listening on") != std::string::npos;
    }
    ASSERT_TRUE(ready) << "tcpdump did not start: " << slurp(log);
    body();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the last packets land
  }  // SIGTERM; --immediate-mode and -U wrote every packet already
}

TEST(PlaintextCapture, PlainProbeNeverSendsTheRealPassword) {
  ::setenv("VT_CAP_PW", testing::kAuditPassword, 1);
  auto cfg = testing::lab_config();
  lab::Service ssl;
  ssl.name = "api-ssl";
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  cfg.services["api-ssl"] = ssl;
  lab::Router r(cfg);
  r.start();
  TempDir dir;
  testing::RunOptions plain, tls;
  plain.port = r.port("api");
  tls.port = r.port("api-ssl");
  captured(dir, "run.pcap", {plain.port, tls.port}, [&] {
    // What a scenario with the same account does on both ports: plain API is
    // only detected; the real login happens over TLS.
    auto a = testing::run_check("routeros-api", R"({"expect": "no-api"})", plain);
    EXPECT_EQ(a.verdict.observed, "api");
    auto b = testing::run_check(
        "routeros-api", R"({"expect": {"pre_login": "fatal", "legacy_login": false}})", plain);
    EXPECT_EQ(b.verdict.status, Status::kPass) << b.verdict.message;
    auto c = testing::run_check(
        "routeros-api",
        R"({"tls": true, "login": {"user": "audit", "password_env": "VT_CAP_PW"}, "expect": {"login": "ok", "write": "denied"}})",
        tls);
    EXPECT_EQ(c.verdict.status, Status::kPass) << c.verdict.message;
  });
  const std::string bytes = slurp(dir.file("run.pcap"));
  ASSERT_GT(bytes.size(), 24u) << "empty capture";
  // The capture saw the plaintext probe (its dummy user) ...
  EXPECT_NE(bytes.find("=name=vantage-probe"), std::string::npos) << "the capture missed the probe";
  // ... and the TLS session (a ClientHello: record type 22, version 3.x).
  EXPECT_NE(bytes.find(std::string("\x16\x03", 2)), std::string::npos);
  // ... and never the password, nor the user's name in a login sentence.
  EXPECT_EQ(bytes.find(testing::kAuditPassword), std::string::npos) << "password on the wire";
  EXPECT_EQ(bytes.find("=name=audit"), std::string::npos);
}

TEST(PlaintextCapture, PositiveControlFindsAPlaintextLogin) {
  ::setenv("VT_CAP_PW", testing::kAuditPassword, 1);
  lab::Router r(testing::lab_config());
  r.start();
  TempDir dir;
  testing::RunOptions plain;
  plain.port = r.port("api");
  captured(dir, "control.pcap", {plain.port}, [&] {
    auto a = testing::run_check(
        "routeros-api",
        R"({"allow_plaintext_credentials": true, "login": {"user": "audit", "password_env": "VT_CAP_PW"}, "expect": {"login": "ok"}})",
        plain);
    EXPECT_EQ(a.verdict.status, Status::kPass) << a.verdict.message;
    ASSERT_FALSE(a.obs->warnings.empty());
  });
  const std::string bytes = slurp(dir.file("control.pcap"));
  EXPECT_NE(bytes.find(std::string("=password=") + testing::kAuditPassword), std::string::npos)
      << "the search cannot see a plaintext password: the negative test above proves nothing ("
      << bytes.size() << " bytes captured; " << slurp(dir.file("control.pcap.log")) << ")";
}

}  // namespace
}  // namespace vantage::probes
