#include "lab/rest_handler.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lab_fixture.hpp"

namespace vantage::lab {
namespace {

using nlohmann::json;

// "Basic " + base64("user:pw")
std::string basic(const std::string& user, const std::string& pw) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = user + ":" + pw, out;
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += a[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += a[(acc << (6 - bits)) & 63];
  while (out.size() % 4) out += '=';
  return "Basic " + out;
}

class Rest : public ::testing::Test {
 protected:
  Rest() : model_(config()) {}
  static LabConfig config() {
    auto c = testing::base_config();
    Service www;
    www.name = "www";
    c.services["www"] = www;
    c.services["www-ssl"] = testing::tls_service("www-ssl", Certificate::Kind::kSelfSigned);
    return c;
  }
  HttpResponse get(const std::string& target, const std::string& auth, const char* svc = "www") {
    return handle_http(model_, *model_.config().service(svc), "192.0.2.5",
                       HttpRequest{"GET", target, auth, ""});
  }
  HttpResponse post(const std::string& target, const std::string& auth, const std::string& body) {
    return handle_http(model_, *model_.config().service("www"), "192.0.2.5",
                       HttpRequest{"POST", target, auth, body});
  }
  RouterModel model_;
};

TEST_F(Rest, UnauthorizedBodyAndHeader) {
  auto r = get("/rest/system/resource", "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error":401,"message":"Unauthorized"})");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(get("/rest/system/resource", basic("admin", "wrong")).status, 401);
  // A group without rest-api is refused too.
  EXPECT_EQ(get("/rest/system/resource", basic("console", "consolepw")).status, 401);
  bool failure_logged = false;
  for (const auto& e : model_.log().entries())
    failure_logged |= e.message == "login failure for user admin from 192.0.2.5 via www";
  EXPECT_TRUE(failure_logged);
}

TEST_F(Rest, GetSingletonIsAnObjectOfStrings) {
  auto r = get("/rest/system/identity", basic("audit", "auditpw"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(json::parse(r.body), json({{"name", "lab-rtr"}}));
  r = get("/rest/system/resource", basic("audit", "auditpw"));
  auto j = json::parse(r.body);
  ASSERT_TRUE(j.is_object());
  for (const auto& [k, v] : j.items()) EXPECT_TRUE(v.is_string()) << k;
}

TEST_F(Rest, GetListFilterAndItem) {
  auto j = json::parse(get("/rest/user?group=audit", basic("audit", "auditpw")).body);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "audit");
  EXPECT_FALSE(j[0].contains("password"));
  j = json::parse(get("/rest/user/*1", basic("audit", "auditpw")).body);
  EXPECT_EQ(j["name"], "admin");
  EXPECT_EQ(get("/rest/user/*99", basic("audit", "auditpw")).status, 404);
  j = json::parse(get("/rest/user?group=nobody", basic("audit", "auditpw")).body);
  EXPECT_EQ(j, json::array());
}

TEST_F(Rest, PostCommandsAndPermissions) {
  auto r = post("/rest/system/identity/set", basic("audit", "auditpw"), R"({"name":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["detail"], "not enough permissions (9)");
  EXPECT_EQ(model_.identity(), "lab-rtr");
  r = post("/rest/system/identity/set", basic("admin", "secret"), R"({"name":"rest-rtr"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
  EXPECT_EQ(model_.identity(), "rest-rtr");
  r = post("/rest/user/print", basic("admin", "secret"),
           R"({".proplist": ["name"], ".query": ["name=admin", "name=audit", "#|"]})");
  EXPECT_EQ(json::parse(r.body), json::parse(R"([{"name":"admin"},{"name":"audit"}])"));
  EXPECT_EQ(post("/rest/user/print", basic("admin", "secret"), "[1]").status, 400);
}

TEST_F(Rest, UnknownMenu) {
  auto r = get("/rest/system/routerboard", basic("admin", "secret"));
  EXPECT_EQ(r.status, 400);
  auto j = json::parse(r.body);
  EXPECT_EQ(j["error"], 400);
  EXPECT_EQ(j["message"], "Bad Request");
  EXPECT_EQ(j["detail"], "no such command or directory (routerboard), no such command prefix");
}

TEST_F(Rest, RestPlainToggle) {
  auto c = config();
  c.rest_plain = false;
  RouterModel m(c);
  auto r = handle_http(m, *c.service("www"), "192.0.2.5",
                       HttpRequest{"GET", "/rest/system/resource", basic("admin", "secret"), ""});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/html");  // not a REST answer
  r = handle_http(m, *c.service("www-ssl"), "192.0.2.5",
                  HttpRequest{"GET", "/rest/system/resource", basic("admin", "secret"), ""});
  EXPECT_EQ(r.status, 200);  // rest-plain does not affect www-ssl
  EXPECT_TRUE(m.log().entries().size() == 1u) << "the plain request never reached a login";
}

TEST_F(Rest, NonRestPathsAreWebfig) {
  auto r = get("/", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html");
  EXPECT_EQ(get("/nothing", "").status, 404);
}

TEST(BasicAuth, Parse) {
  EXPECT_EQ(parse_basic_auth(basic("a", "b:c")),
            std::make_pair(std::string("a"), std::string("b:c")));
  EXPECT_EQ(parse_basic_auth("basic YTpi"), std::make_pair(std::string("a"), std::string("b")));
  EXPECT_EQ(parse_basic_auth("Bearer x"), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Basic !!!"), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Basic YWJj"), std::nullopt);  // "abc": no colon
}

}  // namespace
}  // namespace vantage::lab
