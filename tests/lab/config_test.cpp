#include "lab/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace vantage::lab {
namespace {

LabConfig parse(const std::string& text) {
  return parse_config(ConfigDoc::parse("lab.json", text));
}

std::vector<Diagnostic> errors(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

TEST(LabConfig, ReadsLikeARouter) {
  ::setenv("LAB_TEST_AUDIT_PW", "from-env", 1);
  auto c = parse(R"({
    // comments are allowed
    "identity": "core-rtr-1", "version": "7.16", "listen": ["127.0.0.1", "::1"],
    "services": {
      "api": {"disabled": true},
      "api-ssl": {"port": 8729, "certificate": "self-signed", "tls-version": "only-1.2",
                  "address": ["192.0.2.0/24", "127.0.0.2"], "disallowed": "silent",
                  "max-sessions": 5, "accept-delay-ms": 1500}
    },
    "groups": {"audit": ["read", "api"]},
    "users": [{"name": "audit", "group": "audit", "password_env": "LAB_TEST_AUDIT_PW"},
              {"name": "admin", "group": "full", "password": "x"}],
    "lab": {"idle-timeout-ms": 1000}
  })");
  EXPECT_EQ(c.identity, "core-rtr-1");
  EXPECT_EQ(c.listen.size(), 2u);
  ASSERT_TRUE(c.service("api"));
  EXPECT_TRUE(c.service("api")->disabled);
  EXPECT_EQ(c.service("api")->port, 8728);  // RouterOS default
  const Service* s = c.service("api-ssl");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->certificate.kind, Certificate::Kind::kSelfSigned);
  EXPECT_EQ(s->tls_version, TlsVersion::kOnly12);
  EXPECT_EQ(s->disallowed, Disallowed::kSilent);
  EXPECT_EQ(s->max_sessions, 5);
  EXPECT_EQ(s->accept_delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.service("api")->accept_delay, std::chrono::milliseconds(0));
  EXPECT_TRUE(s->allows("192.0.2.77"));
  EXPECT_TRUE(s->allows("127.0.0.2"));
  EXPECT_FALSE(s->allows("127.0.0.1"));
  EXPECT_EQ(c.service("www"), nullptr);  // not listed, not served
  EXPECT_EQ(c.users[0].password, "from-env");
  EXPECT_EQ(c.groups.at("audit"), (std::set<std::string>{"read", "api"}));
  EXPECT_TRUE(c.groups.count("full"));
  EXPECT_EQ(c.limits.idle_timeout, std::chrono::milliseconds(1000));
}

TEST(LabConfig, EveryErrorAtOnceWithLocationAndSuggestion) {
  auto d = errors(R"({
  "identity": "x",
  "services": {
    "api": {"prot": 8728, "disallowed": "rest"},
    "api-sll": {}
  },
  "groups": {"g": ["raed"]},
  "users": [{"name": "a", "group": "fulll"}]
})");
  ASSERT_GE(d.size(), 5u);
  auto has = [&](const std::string& path, const std::string& text, int line) {
    for (const auto& x : d)
      if (x.path == path && x.message.find(text) != std::string::npos && x.line == line)
        return true;
    return false;
  };
  EXPECT_TRUE(has("services.api.prot", "did you mean \"port\"", 4));
  EXPECT_TRUE(has("services.api.disallowed", "did you mean \"reset\"", 4));
  EXPECT_TRUE(has("services.api-sll", "did you mean \"api-ssl\"", 5));
  EXPECT_TRUE(has("groups.g[0]", "did you mean \"read\"", 7));
  EXPECT_TRUE(has("users[0].group", "did you mean \"full\"", 8));
  EXPECT_TRUE(has("users[0]", "exactly one of \"password\"", 8));
  for (const auto& x : d) EXPECT_EQ(x.file, "lab.json");
}

TEST(LabConfig, BadValues) {
  auto d = errors(R"({"listen": ["localhost"],
    "services": {"api": {"port": 70000, "address": ["192.0.2.1/24"]},
                 "api-ssl": {"port": 8728, "tls-version": "only-1.3", "legacy-tls": true,
                             "certificate": {"cert": "missing.pem", "key": "missing.key"}}},
    "users": [{"name": "a", "group": "full", "password_env": "VANTAGE_SURELY_UNSET_VAR"}]})");
  std::set<std::string> paths;
  for (const auto& x : d) paths.insert(x.path);
  for (const char* p : {"listen[0]", "services.api.port", "services.api.address[0]",
                        "services.api-ssl.tls-version", "services.api-ssl.certificate.cert",
                        "services.api-ssl.certificate.key", "users[0].password_env"})
    EXPECT_TRUE(paths.count(p)) << p;
}

TEST(LabConfig, PortClashAndContradictions) {
  auto d = errors(R"({"services": {"api": {"port": 9000}, "www": {"port": 9000},
    "api-ssl": {"tls-version": "only-1.2", "legacy-tls": true}}})");
  std::set<std::string> paths;
  for (const auto& x : d) paths.insert(x.path);
  EXPECT_TRUE(paths.count("services.www.port"));
  EXPECT_TRUE(paths.count("services.api-ssl.legacy-tls"));
}

TEST(LabConfig, ErrorsNeverEchoPasswords) {
  auto d = errors(R"({"users": [{"name": "a", "group": "nope", "password": "hunter2-secret"}]})");
  ASSERT_FALSE(d.empty());
  for (const auto& x : d) EXPECT_EQ(x.to_string().find("hunter2"), std::string::npos);
}

TEST(LabConfig, ShippedConfigsLoad) {
  ::setenv("LAB_AUDIT_PASSWORD", "test-only", 1);
  ::setenv("LAB_ADMIN_PASSWORD", "test-only-admin", 1);
  for (const char* f : {"hardened.json", "demo.json"}) {
    const std::string path = std::string(VANTAGE_SOURCE_DIR) + "/lab/configs/" + f;
    EXPECT_NO_THROW(load_config(path)) << path;
  }
  auto demo = load_config(std::string(VANTAGE_SOURCE_DIR) + "/lab/configs/demo.json");
  ASSERT_TRUE(demo.service("api"));
  EXPECT_FALSE(demo.service("api")->disabled);
  EXPECT_TRUE(demo.service("api")->address.empty());
  ASSERT_TRUE(demo.service("api-ssl"));
  EXPECT_TRUE(demo.service("api-ssl")->allows("127.0.0.2"));
  EXPECT_FALSE(demo.service("api-ssl")->allows("127.0.0.1"));
  EXPECT_NE(demo.service("api-ssl")->certificate.kind, Certificate::Kind::kNone);
  auto hard = load_config(std::string(VANTAGE_SOURCE_DIR) + "/lab/configs/hardened.json");
  ASSERT_TRUE(hard.service("api"));
  EXPECT_TRUE(hard.service("api")->disabled);
}

TEST(LabConfig, PasswordFileRelativeToConfig) {
  auto dir =
      std::filesystem::temp_directory_path() / ("vantage-labcfg-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pw.txt") << "filepw\n";
  std::ofstream(dir / "lab.json")
      << R"({"users": [{"name": "a", "group": "read", "password_file": "pw.txt"}]})";
  auto c = load_config((dir / "lab.json").string());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(c.users.at(0).password, "filepw");
}

TEST(LabConfig, VersionOrder) {
  EXPECT_TRUE(version_less("6.42", "6.43"));
  EXPECT_TRUE(version_less("6.45", "6.45.1"));
  EXPECT_FALSE(version_less("7.18", "7.18"));
  EXPECT_TRUE(version_less("7.9", "7.18"));
  EXPECT_FALSE(version_less("7.21rc1", "7.18"));
  // A part longer than any release saturates, never overflows (F11, found
  // by fuzzing, config_lab: UBSan, signed overflow).
  EXPECT_FALSE(version_less("777777777777777777777.1", "7.18"));
  EXPECT_TRUE(version_less("7.18", "777777777777777777777.1"));
  EXPECT_FALSE(version_less("7.999999999999999999", "7.999999999999999998"));
}

TEST(Prefix, Parse) {
  EXPECT_TRUE(Prefix::parse("192.0.2.0/24"));
  EXPECT_TRUE(Prefix::parse("::1"));
  EXPECT_FALSE(Prefix::parse("192.0.2.1/24"));
  EXPECT_FALSE(Prefix::parse("192.0.2.0/33"));
  EXPECT_FALSE(Prefix::parse("nope"));
  auto p = Prefix::parse("2001:db8::/32");
  EXPECT_TRUE(p->contains("2001:db8:1::5"));
  EXPECT_FALSE(p->contains("192.0.2.1"));
  EXPECT_TRUE(Prefix::parse("192.0.2.0/24")->contains("::ffff:192.0.2.9"));
  EXPECT_TRUE(Prefix::parse("0.0.0.0/0")->contains("203.0.113.1"));
}

}  // namespace
}  // namespace vantage::lab
