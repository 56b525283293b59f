// End to end in a network namespace: the emulated router (lab/) serves api
// and api-ssl inside its own namespace, python3-librouteros logs in from the
// host side of a veth pair, and `vantage watch` captures inside the router's
// namespace. Plain API: a credential-exposure finding naming the user, client
// and server, and the password in no output file. API-SSL: no finding, and
// the TLS version witnessed equals the one librouteros negotiated.
// Then a `vantage run` with the capture in that namespace and API-SSL logins
// by the routeros-api probe: no-plaintext-api passes and tls_versions_seen
// matches. Labels: root, peer.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "analysis_json.hpp"
#include "lab/router.hpp"
#include "net/source.hpp"
#include "proc.hpp"

namespace vantage::capture::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kVantage = VANTAGE_BINARY;
const std::string kPeer = std::string(VANTAGE_SOURCE_DIR) + "/tests/capture/librouteros_login.py";
const std::string kRouterIp = "198.51.100.2";
const std::string kHostIp = "198.51.100.1";

std::string random_password() {
  std::random_device rd;
  std::string s = "pw-";
  for (int i = 0; i < 16; ++i) s += "abcdefghijkmnpqrstuvwxyz23456789"[rd() % 32];
  return s + "+/@";  // characters that URL-encoding changes
}

// A namespace "vcapl-PID" joined to the host by a veth pair; removed on exit.
class LabNet {
 public:
  LabNet() {
    const std::string pid = std::to_string(::getpid());
    ns = "vcapl-" + pid;
    host_if = "vch" + pid;
    ok = sh("ip netns add " + ns).exit == 0 &&
         sh("ip link add " + host_if + " type veth peer name vcr" + pid + " netns " + ns).exit ==
             0 &&
         sh("ip addr add " + kHostIp + "/24 dev " + host_if + " && ip link set " + host_if + " up")
                 .exit == 0 &&
         sh("ip -n " + ns + " addr add " + kRouterIp + "/24 dev vcr" + pid + " && ip -n " + ns +
            " link set vcr" + pid + " up && ip -n " + ns + " link set lo up")
                 .exit == 0;
  }
  ~LabNet() {
    sh("ip link del " + host_if);
    sh("ip netns del " + ns);
  }
  std::string ns, host_if;
  bool ok = false;
};

lab::LabConfig lab_config(const std::string& password) {
  lab::LabConfig c;
  c.identity = "lab-rtr";
  c.listen = {kRouterIp};
  c.groups = lab::builtin_groups();
  c.users = {lab::User{"admin", "full", password, {}, false}};
  lab::Service api;
  api.name = "api";
  api.port = 8728;
  c.services["api"] = api;
  lab::Service ssl;
  ssl.name = "api-ssl";
  ssl.port = 8729;
  ssl.certificate.kind = lab::Certificate::Kind::kSelfSigned;
  c.services["api-ssl"] = ssl;
  c.limits.login_timeout = std::chrono::milliseconds(5000);
  c.limits.idle_timeout = std::chrono::milliseconds(10000);
  return c;
}

std::string all_text(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) all += slurp(e.path());
  return all;
}

class CaptureLab : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net.ok) << "cannot build the lab network";
    router = std::make_unique<lab::Router>(lab_config(password));
    // Listeners bound inside the namespace keep it; the I/O thread starts there too.
    net::run_in_netns(net.ns, [&] { router->start(); });
  }
  void TearDown() override {
    if (router) router->stop();
  }
  std::string peer(int port, const char* mode) {
    ::setenv("VANTAGE_TEST_PASSWORD", password.c_str(), 1);
    auto r = sh("timeout 30 /usr/bin/python3 " + kPeer + " " + kRouterIp + " " +
                std::to_string(port) + " " + mode);
    ::unsetenv("VANTAGE_TEST_PASSWORD");
    EXPECT_EQ(r.exit, 0) << r.out;
    return r.out;
  }

  LabNet net;
  TempDir dir{"capture-lab"};
  const std::string password = random_password();
  std::unique_ptr<lab::Router> router;
};

TEST_F(CaptureLab, WatchSeesPlaintextCredentialButNotApiSsl) {
  const fs::path out = dir.path();
  Background watch(kVantage + " watch --interface any --netns " + net.ns +
                       " --duration 8s --pcap " + (out / "watch.pcap").string() + " --json " +
                       (out / "watch.json").string() + " --junit " + (out / "watch.xml").string(),
                   out / "watch.log");
  ASSERT_TRUE(watch.wait_for_log("watching", std::chrono::seconds(10))) << watch.log();
  const std::string plain = peer(8728, "plain");
  EXPECT_NE(plain.find("identity lab-rtr"), std::string::npos) << plain;
  const std::string tls = peer(8729, "tls");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(tls, m, std::regex(R"(negotiated (TLSv1\.\d) (\S+))"))) << tls;
  const std::string negotiated = m[1];
  EXPECT_EQ(watch.wait(std::chrono::seconds(20)), 1) << watch.log();

  json rep = analysis_of(json::parse(slurp(out / "watch.json")));
  // Plain API: a critical finding naming user, client and server.
  int exposures = 0;
  for (const auto& f : rep["findings"]) {
    if (f["kind"] != "credential-exposure") continue;
    ++exposures;
    EXPECT_EQ(f["user"], "admin");
    EXPECT_EQ(f["severity"], "critical");
    EXPECT_EQ(f["server"], kRouterIp + ":8728");
    EXPECT_EQ(f["client"].get<std::string>().rfind(kHostIp + ":", 0), 0u) << f.dump();
  }
  EXPECT_EQ(exposures, 1) << rep["findings"].dump(1);
  // API-SSL: TLS, no finding, and the witnessed version is the negotiated one.
  int tls_flows = 0;
  for (const auto& f : rep["flows"]) {
    if (f["server"] != kRouterIp + ":8729") continue;
    ++tls_flows;
    EXPECT_EQ(f["class"], "tls");
    EXPECT_EQ(f["tls"]["server_hello"]["version"], negotiated);
    for (const auto& fd : rep["findings"]) EXPECT_NE(fd["flow"], f["id"]);
  }
  EXPECT_EQ(tls_flows, 1);
  // The password is in no output file: not the report, not the JUnit, not the
  // log, and not vantage's own pcap (masked there).
  const std::string everything = all_text(out) + plain + tls;
  EXPECT_EQ(everything.find(password), std::string::npos);
  // ... while the pcap still shows the login (masked) for Wireshark.
  EXPECT_NE(slurp(out / "watch.pcap").find("=password=*"), std::string::npos);
  // Offline analysis of vantage's pcap says the same.
  auto again = sh(kVantage + " analyze " + (out / "watch.pcap").string());
  EXPECT_EQ(again.exit, 1) << again.out;
  EXPECT_NE(again.out.find("user 'admin'"), std::string::npos) << again.out;
}

TEST_F(CaptureLab, RunWithCaptureInTheRouterNamespace) {
  const fs::path out = dir.path();
  json sc = {{"vantage", 1},
             {"name", "lab capture"},
             {"target", {{"host", kRouterIp}}},
             {"sources", {{"host", {{"address", kHostIp}}}}},
             {"capture", {{"interface", "any"}, {"netns", net.ns}, {"drain_ms", 300}}},
             {"checks",
              {{{"id", "api-ssl-login"},
                {"probe", "routeros-api"},
                {"port", 8729},
                {"tls", true},
                {"from", "host"},
                {"login", {{"user", "admin"}, {"password_env", "VANTAGE_TEST_PASSWORD"}}},
                {"expect", {{"login", "ok"}}}},
               {{"id", "no-plaintext-api"}, {"probe", "capture"}, {"expect", "no-plaintext-api"}},
               {{"id", "tls-witness"},
                {"probe", "capture"},
                {"expect", {{"tls_versions_seen", {"TLSv1.3"}}}}}}}};
  std::ofstream(out / "lab.json") << sc.dump(2);
  ::setenv("VANTAGE_TEST_PASSWORD", password.c_str(), 1);
  auto r = sh(kVantage + " run " + (out / "lab.json").string() + " --no-color --report-dir " +
              (out / "report").string());
  ::unsetenv("VANTAGE_TEST_PASSWORD");
  json rep = json::parse(slurp(out / "report" / "report.json"));
  std::map<std::string, std::string> st;
  for (const auto& c : rep["scenarios"][0]["targets"][0]["checks"])
    st[c["id"]] = c["verdict"]["status"];
  EXPECT_EQ(st["no-plaintext-api"], "pass") << r.out;
  EXPECT_EQ(st["tls-witness"], "pass") << r.out;
  EXPECT_EQ(st["api-ssl-login"], "pass") << r.out;
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ((all_text(out / "report") + r.out).find(password), std::string::npos);
}

// The canary: a REST login with HTTP Basic over plain HTTP and an API login
// over plain API, during a `vantage run` with its capture. The capture check
// fails on each exposure, the Basic one included, and the password is in no
// file vantage writes (report, pcap, log), neither raw nor in base64 nor
// URL-encoded.
std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += t[(v >> k) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string url_encoded(const std::string& in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// Every form of `secret` that could betray it: raw, URL-encoded, and base64 at
// each of the three alignments it can take inside a longer base64 text (the
// first and last characters of each are dropped: they mix with neighbours).
std::vector<std::string> secret_forms(const std::string& secret, const std::string& user) {
  std::vector<std::string> forms = {secret, url_encoded(secret), base64(user + ":" + secret)};
  for (std::size_t pad = 0; pad < 3; ++pad) {
    std::string b = base64(std::string(pad, 'x') + secret);
    const std::size_t skip = (pad * 4 + 2) / 3 + 1;
    forms.push_back(b.substr(skip, b.size() - skip - 4));
  }
  return forms;
}

TEST_F(CaptureLab, PlaintextCredentialsInARunAreFoundAndNeverWritten) {
  router->stop();
  auto cfg = lab_config(password);
  lab::Service www;
  www.name = "www";
  www.port = 80;
  cfg.services["www"] = www;
  cfg.rest_plain = true;
  router = std::make_unique<lab::Router>(cfg);
  net::run_in_netns(net.ns, [&] { router->start(); });
  const fs::path out = dir.path();
  json sc = {
      {"vantage", 1},
      {"name", "canary"},
      {"target", {{"host", kRouterIp}}},
      {"sources", {{"host", {{"address", kHostIp}}}}},
      {"capture", {{"interface", "any"}, {"netns", net.ns}, {"drain_ms", 300}}},
      {"checks",
       {{{"id", "rest-basic-plain"},
         {"probe", "rest"},
         {"port", 80},
         {"from", "host"},
         {"allow_plaintext_credentials", true},
         {"login", {{"user", "admin"}, {"password_env", "VANTAGE_TEST_PASSWORD"}}},
         {"expect", {{"login", "ok"}}}},
        {{"id", "api-plain-login"},
         {"probe", "routeros-api"},
         {"port", 8728},
         {"tls", false},
         {"from", "host"},
         {"allow_plaintext_credentials", true},
         {"login", {{"user", "admin"}, {"password_env", "VANTAGE_TEST_PASSWORD"}}},
         {"expect", {{"login", "ok"}}}},
        {{"id", "no-plaintext-api"}, {"probe", "capture"}, {"expect", "no-plaintext-api"}}}}};
  std::ofstream(out / "canary.json") << sc.dump(2);
  ::setenv("VANTAGE_TEST_PASSWORD", password.c_str(), 1);
  auto r = sh(kVantage + " run " + (out / "canary.json").string() + " --no-color --report-dir " +
              (out / "report").string() + " > " + (out / "run.log").string() + " 2>&1");
  ::unsetenv("VANTAGE_TEST_PASSWORD");
  const std::string log = slurp(out / "run.log");
  json rep = json::parse(slurp(out / "report" / "report.json"));
  std::map<std::string, json> checks;
  for (const auto& c : rep["scenarios"][0]["targets"][0]["checks"]) checks[c["id"]] = c;
  EXPECT_EQ(checks["rest-basic-plain"]["verdict"]["status"], "pass") << log;
  EXPECT_EQ(checks["api-plain-login"]["verdict"]["status"], "pass") << log;
  // The capture check fails, on the Basic login as well as on the API login.
  EXPECT_EQ(checks["no-plaintext-api"]["verdict"]["status"], "fail") << log;
  EXPECT_EQ(r.exit, 1) << log;
  const std::string evidence = checks["no-plaintext-api"].dump();
  bool basic = false, api = false;
  for (const auto& f : checks["no-plaintext-api"]["observation"]["evidence"]["findings"]) {
    if (f["kind"] != "credential-exposure") continue;
    EXPECT_EQ(f["user"], "admin") << f.dump();
    basic |= f["server"] == kRouterIp + ":80";
    api |= f["server"] == kRouterIp + ":8728";
  }
  EXPECT_TRUE(basic) << evidence;
  EXPECT_TRUE(api) << evidence;
  // vantage's pcap still shows both logins, masked.
  fs::path pcap;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.path().extension() == ".pcap") pcap = e.path();
  ASSERT_FALSE(pcap.empty()) << "no pcap written";
  const std::string bytes = slurp(pcap);
  EXPECT_NE(bytes.find("=password=*"), std::string::npos);
  EXPECT_NE(bytes.find("Authorization: Basic *"), std::string::npos);
  // tshark reads the masked header as such.
  auto ts = sh("tshark -n -r " + pcap.string() +
               " -Y http.authorization -T fields -e http.authorization");
  EXPECT_EQ(ts.exit, 0) << ts.out;
  EXPECT_NE(ts.out.find("Basic *"), std::string::npos) << ts.out;
  // No form of the password in any file vantage wrote, nor on its console.
  const std::string everything = all_text(out) + log;
  for (const auto& form : secret_forms(password, "admin"))
    EXPECT_EQ(everything.find(form), std::string::npos) << "found " << form;
}

}  // namespace
}  // namespace vantage::capture::testing
