// The lab's www and www-ssl services over real sockets: a raw HTTP client for
// plain www (limits, keep-alive, deadlines) and Python's urllib as an
// independent HTTPS client verifying the lab CA (label peer for that part).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "api_client.hpp"
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

// Sends raw bytes and reads until the server closes (or `ms` pass).
std::string exchange(std::uint16_t port, const std::string& req, int ms = 3000,
                     const char* src = nullptr) {
  testing::ApiClient c;
  if (!c.connect(port, src)) return "connect failed";
  ::send(c.fd(), req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(c.fd(), buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

const std::string kAdminAuth = "Authorization: Basic YWRtaW46c2VjcmV0\r\n";  // admin:secret

TEST(RestServer, PlainGetWithBasicAuth) {
  Router r(rest_config(true));
  r.start();
  auto out = exchange(r.port("www"), "GET /rest/system/identity HTTP/1.1\r\nHost: lab\r\n" +
                                         kAdminAuth + "Connection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("Content-Type: application/json"), std::string::npos);
  EXPECT_NE(out.find("{\"name\":\"lab-rtr\"}"), std::string::npos) << out;
}

TEST(RestServer, PlainUnauthorized) {
  Router r(rest_config(true));
  r.start();
  auto out =
      exchange(r.port("www"), "GET /rest/system/resource HTTP/1.1\r\nHost: lab\r\n\r\n", 600);
  EXPECT_EQ(out.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("{\"error\":401,\"message\":\"Unauthorized\"}"), std::string::npos);
}

TEST(RestServer, RestPlainOffServesNoRestOnWww) {
  Router r(rest_config(false));
  r.start();
  auto out = exchange(r.port("www"), "GET /rest/system/resource HTTP/1.1\r\nHost: lab\r\n" +
                                         kAdminAuth + "Connection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << out;
  EXPECT_EQ(out.find("application/json"), std::string::npos);
  for (const auto& e : r.log()) EXPECT_NE(e.kind, LogEntry::Kind::kLoginOk);
}

TEST(RestServer, KeepAliveServesSeveralRequests) {
  Router r(rest_config(true));
  r.start();
  std::string one = "GET /rest/system/identity HTTP/1.1\r\nHost: lab\r\n" + kAdminAuth + "\r\n";
  auto out = exchange(r.port("www"),
                      one + one + "GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
  std::size_t n = 0;
  for (auto p = out.find("HTTP/1.1 200 OK"); p != std::string::npos;
       p = out.find("HTTP/1.1 200 OK", p + 1))
    ++n;
  EXPECT_EQ(n, 3u) << out;
}

TEST(RestServer, OversizedHeaderRefused) {
  Router r(rest_config(true));
  r.start();
  std::string req =
      "GET /rest/system/identity HTTP/1.1\r\nHost: lab\r\nX-Junk: " + std::string(20000, 'a') +
      "\r\n\r\n";
  auto out = exchange(r.port("www"), req);
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out.substr(0, 200);
}

TEST(RestServer, OversizedBodyRefused) {
  Router r(rest_config(true));
  r.start();
  std::string req = "POST /rest/user/print HTTP/1.1\r\nHost: lab\r\n" + kAdminAuth +
                    "Content-Length: 10000000\r\n\r\n" + std::string(100000, '{');
  auto out = exchange(r.port("www"), req);
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out.substr(0, 200);
}

TEST(RestServer, SlowClientHitsDeadline) {
  Router r(rest_config(true));
  r.start();
  auto t0 = std::chrono::steady_clock::now();
  auto out = exchange(r.port("www"), "GET /rest/system/identity HTTP/1.1\r\nHo", 5000);
  EXPECT_TRUE(out.empty()) << out;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(3000));
}

TEST(RestServer, AddressRestrictionAppliesToWww) {
  auto c = rest_config(true);
  c.services["www"].address = {*Prefix::parse("127.0.0.2/32")};
  Router r(c);
  r.start();
  std::string req = "GET /rest/system/identity HTTP/1.1\r\nHost: lab\r\n" + kAdminAuth +
                    "Connection: close\r\n\r\n";
  EXPECT_EQ(exchange(r.port("www"), req, 3000, "127.0.0.2").rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(exchange(r.port("www"), req, 1000, "127.0.0.3"), "");
  EXPECT_EQ(r.stats().refused_address, 1u);
}

}  // namespace
}  // namespace vantage::lab
