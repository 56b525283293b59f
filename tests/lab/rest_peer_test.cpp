// The lab's REST API driven by an independent HTTP client, Python's urllib:
// HTTPS verified against the lab CA, 401 body, and rest-plain off. Label: peer.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "lab/router.hpp"
#include "lab_fixture.hpp"

namespace vantage::lab {
namespace {

LabConfig rest_config(bool rest_plain) {
  auto c = testing::base_config();
  Service www;
  www.name = "www";
  c.services["www"] = www;
  c.services["www-ssl"] = testing::tls_service("www-ssl", Certificate::Kind::kSelfSigned);
  c.rest_plain = rest_plain;
  c.limits.login_timeout = std::chrono::milliseconds(1000);
  return c;
}

int run_rest_peer(const std::string& args) {
  ::setenv("LAB_REST_ADMIN", "admin:secret", 1);
  ::setenv("LAB_REST_AUDIT", "audit:auditpw", 1);
  std::string cmd = "timeout 60 /usr/bin/python3 " + std::string(VANTAGE_SOURCE_DIR) +
                    "/tests/lab/rest_peer.py " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) std::fputs(buf, stdout);
  int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

class RestPeer : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_unique<Router>(rest_config(false));
    router_->start();
    ca_ = std::filesystem::temp_directory_path() /
          ("vantage-rest-ca-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca_) << router_->ca_pem();
  }
  void TearDown() override { std::filesystem::remove(ca_); }
  std::string https(const std::string& path) {
    // The self-signed certificate names the identity, "localhost" and the listen address.
    return "https://localhost:" + std::to_string(router_->port("www-ssl")) + path + " --ca " +
           ca_.string();
  }
  std::unique_ptr<Router> router_;
  std::filesystem::path ca_;
};

TEST_F(RestPeer, HttpsVerifiedLogin) {
  EXPECT_EQ(run_rest_peer(https("/rest/system/identity") +
                          " --auth-env LAB_REST_AUDIT --expect-status 200"
                          " --expect-json '{\"name\":\"lab-rtr\"}'"),
            0);
}

TEST_F(RestPeer, HttpsAuthRequired) {
  EXPECT_EQ(run_rest_peer(https("/rest/system/resource") +
                          " --expect-status 401"
                          " --expect-json '{\"error\":401,\"message\":\"Unauthorized\"}'"),
            0);
}

TEST_F(RestPeer, PlainWwwWithoutRestPlainIsNotRest) {
  EXPECT_EQ(run_rest_peer("http://127.0.0.1:" + std::to_string(router_->port("www")) +
                          "/rest/system/resource --auth-env LAB_REST_ADMIN --expect-status 404"
                          " --expect-content-type text/html"),
            0);
}

}  // namespace
}  // namespace vantage::lab
