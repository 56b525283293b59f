// Many emulated routers in one process (lab/fleet.hpp): names and addresses
// counted on, each router's own certificate from one CA verified by a real
// OpenSSL client, variants serving their own services, every core used, a
// clean stop and restart; then `vantage lab --routers` end to end: its
// written inventory and CA drive `vantage run --inventory`.
#include "lab/fleet.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "tests/support/topology.hpp"

namespace vantage::lab {
namespace {

using vantage::testing::Process;
using vantage::testing::TempDir;

// A loopback /24 of this test process's own, so parallel tests never share one.
std::string base(int third = 0) {
  return "127." + std::to_string(100 + ::getpid() % 100) + "." + std::to_string(third) + ".1";
}

LabConfig variant(const std::string& identity, bool plain_api) {
  LabConfig c;
  c.identity = identity;
  Service ssl;
  ssl.name = "api-ssl";
  ssl.certificate.kind = Certificate::Kind::kSelfSigned;
  c.services["api-ssl"] = ssl;
  if (plain_api) {
    Service api;
    api.name = "api";
    c.services["api"] = api;
  }
  return c;
}

UniqueFd connect_to(const std::string& ip, std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &sa.sin_addr);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return UniqueFd();
  return fd;
}

struct Served {
  std::string common_name, fingerprint;
  int key_id = 0;  // EVP_PKEY_EC, EVP_PKEY_RSA
};

// A real handshake that verifies the chain against `ca_pem` and the name.
Served verified_handshake(const std::string& ip, std::uint16_t port, const std::string& ca_pem,
                          const std::string& name) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(ca_pem.data(), -1), BIO_free);
  X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca);
  X509_free(ca);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  UniqueFd fd = connect_to(ip, port);
  if (!fd) throw std::runtime_error("connect " + ip);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd.get());
  SSL_set1_host(ssl.get(), name.c_str());
  if (SSL_connect(ssl.get()) != 1)
    throw std::runtime_error("handshake with " + ip + " as " + name + " failed: " +
                             X509_verify_cert_error_string(SSL_get_verify_result(ssl.get())));
  X509* cert = SSL_get0_peer_certificate(ssl.get());
  Served s;
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  s.common_name = cn;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  s.fingerprint.assign(reinterpret_cast<char*>(md), len);
  s.key_id = EVP_PKEY_get_base_id(X509_get0_pubkey(cert));
  return s;
}

TEST(FleetConfigs, NamesAndAddressesCountOnAcrossOctets) {
  const auto cfgs =
      fleet_configs({variant("edge", false), variant("core", true)}, 300, "127.1.0.250");
  ASSERT_EQ(cfgs.size(), 300U);
  EXPECT_EQ(cfgs[0].identity, "edge-001");
  EXPECT_EQ(cfgs[1].identity, "core-002");
  EXPECT_EQ(cfgs[299].identity, "core-300");
  EXPECT_EQ(cfgs[5].listen, std::vector<std::string>{"127.1.0.255"});
  EXPECT_EQ(cfgs[6].listen, std::vector<std::string>{"127.1.1.0"});
  EXPECT_EQ(cfgs[299].listen, std::vector<std::string>{"127.1.2.37"});
  EXPECT_EQ(cfgs[2].services.count("api"), 0U);  // variant 0 again
  EXPECT_EQ(cfgs[3].services.count("api"), 1U);
}

TEST(FleetConfigs, IPv6AndTheEndOfTheRangeAndBadInput) {
  const auto v6 = fleet_configs({variant("r", false)}, 3, "fd00::ffff");
  EXPECT_EQ(v6[2].listen.front(), "fd00::1:1");
  EXPECT_THROW(fleet_configs({variant("r", false)}, 3, "255.255.255.254"), Error);
  EXPECT_THROW(fleet_configs({variant("r", false)}, 1, "router-1"), Error);
  EXPECT_THROW(fleet_configs({}, 1, "127.1.0.1"), Error);
}

TEST(Fleet, EveryRouterServesItsOwnCertificateFromOneCa) {
  Fleet fleet(fleet_configs({variant("lab", false)}, 24, base()), {KeyType::kEcdsa});
  fleet.start();
  std::set<std::string> fingerprints;
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    const Router& r = fleet.router(i);
    const auto s = verified_handshake(r.config().listen.front(), r.port("api-ssl"), fleet.ca_pem(),
                                      r.identity());
    EXPECT_EQ(s.common_name, r.identity());
    EXPECT_EQ(s.key_id, EVP_PKEY_EC);
    fingerprints.insert(s.fingerprint);
  }
  EXPECT_EQ(fingerprints.size(), 24U);
  // Another router's name on this router's certificate does not verify.
  const Router& r0 = fleet.router(0);
  EXPECT_THROW(verified_handshake(r0.config().listen.front(), r0.port("api-ssl"), fleet.ca_pem(),
                                  fleet.router(1).identity()),
               std::runtime_error);
}

TEST(Fleet, RsaFleetsWorkToo) {
  Fleet fleet(fleet_configs({variant("rsa", false)}, 3, base(1)), {KeyType::kRsa});
  fleet.start();
  const Router& r = fleet.router(2);
  const auto s = verified_handshake(r.config().listen.front(), r.port("api-ssl"), fleet.ca_pem(),
                                    r.identity());
  EXPECT_EQ(s.key_id, EVP_PKEY_RSA);
}

TEST(Fleet, VariantsServeTheirOwnServicesOnEveryCoreAndStopCleanly) {
  Fleet fleet(fleet_configs({variant("a", false), variant("b", true)}, 40, base(2)),
              {KeyType::kEcdsa});
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  EXPECT_EQ(fleet.threads(), std::min(cores, 40U));
  for (int round = 0; round < 2; ++round) {  // a stopped fleet starts again
    fleet.start();
    for (std::size_t i = 0; i < fleet.size(); ++i) {
      const Router& r = fleet.router(i);
      EXPECT_EQ(r.port("api") != 0, i % 2 == 1) << r.identity();
      if (i % 2 == 1) {
        EXPECT_TRUE(connect_to(r.config().listen.front(), r.port("api")));
      }
    }
    const std::string ip = fleet.router(1).config().listen.front();
    const std::uint16_t port = fleet.router(1).port("api");
    fleet.stop();
    EXPECT_FALSE(connect_to(ip, port)) << "still listening after stop()";
  }
}

// The CLI end to end: a fleet from two variants, its inventory and CA, and a
// fleet run against them. Variant "open" serves plain api: its routers fail
// plain-api-closed, the "hardened" ones pass every check.
TEST(CmdLabFleet, TheWrittenInventoryAndCaDriveAFleetRun) {
  TempDir d;
  d.write("hardened.json", R"({"identity": "hq", "services": {"api-ssl": {"port": 0,
    "certificate": "self-signed"}}})");
  d.write("open.json", R"({"identity": "branch", "services": {"api-ssl": {"port": 0,
    "certificate": "self-signed"}, "api": {"port": 0}}})");
  d.write("s.json", R"({
  "vantage": 1, "name": "fleet rehearsal",
  "vars": {"router": {}, "router_name": {}, "server_name": {}, "ca_file": {},
           "api_ssl_port": {}, "api_port": {"default": "1"}},
  "target": {"host": "${router}", "name": "${router_name}", "server_name": "${server_name}"},
  "sources": {"mgmt": {"address": "127.0.0.1"}},
  "defaults": {"timeout_ms": 5000, "attempts": 1},
  "checks": [
    {"id": "api-ssl-open", "probe": "tcp", "port": "${api_ssl_port}", "from": "mgmt", "expect": "open"},
    {"id": "api-ssl-certificate", "probe": "certificate", "port": "${api_ssl_port}", "from": "mgmt",
     "expect": {"trust": {"ca_file": "${ca_file}"}, "name": "${server_name}"}},
    {"id": "plain-api-closed", "probe": "tcp", "port": "${api_port}", "from": "mgmt", "expect": "not-open"}
  ]})");
  Process lab({VANTAGE_BINARY, "lab", "--config", d.file("hardened.json"), "--config",
               d.file("open.json"), "--routers", "12", "--first-address", base(3), "--key", "ecdsa",
               "--write-inventory", d.file("fleet.csv"), "--write-ca", d.file("ca.pem"), "--quiet"},
              d.file("lab.log"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (d.read("lab.log").find("Ctrl-C") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(d.read("lab.log").find("12 emulated routers"), std::string::npos) << d.read("lab.log");
  const std::string csv = d.read("fleet.csv");
  ASSERT_EQ(
      csv.rfind("name,host,server_name,router_name,groups,api_port,api_ssl_port,ca_file\n", 0), 0U)
      << csv;

  std::string out, err;
  const int rc =
      vantage::testing::run_vantage({"run", d.file("s.json"), "--inventory", d.file("fleet.csv"),
                                     "--report-dir", d.file("out"), "--no-color"},
                                    &out, &err);
  EXPECT_EQ(rc, 1) << out << err;
  const auto report = nlohmann::json::parse(d.read("out/report.json"));
  int passed = 0, failed = 0;
  for (const auto& t : report.at("scenarios").at(0).at("targets")) {
    const std::string name = t.at("name");
    for (const auto& c : t.at("checks")) {
      const std::string status = c.at("verdict").at("status");
      const bool open_variant = name.rfind("branch-", 0) == 0;
      const bool should_fail = open_variant && c.at("id") == "plain-api-closed";
      EXPECT_EQ(status, should_fail ? "fail" : "pass") << name << " " << c.dump();
      (status == "pass" ? passed : failed)++;
    }
  }
  EXPECT_EQ(passed, 12 * 3 - 6);
  EXPECT_EQ(failed, 6);
}

}  // namespace
}  // namespace vantage::lab
