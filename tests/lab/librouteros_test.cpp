// Conformance: the lab driven by python3-librouteros, an independent client,
// over plain API, API-SSL with a verified certificate (file PKI made by the
// openssl CLI, and the in-memory self-signed CA), and API-SSL with
// certificate none (ADH). Label: peer.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "lab/router.hpp"
#include "lab_fixture.hpp"

namespace vantage::lab {
namespace {

namespace fs = std::filesystem;

const std::string kScript = std::string(VANTAGE_SOURCE_DIR) + "/tests/lab/librouteros_peer.py";

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("vantage-lab-peer-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// Runs the peer script; returns its exit status and output.
std::pair<int, std::string> run_peer(const std::string& args) {
  ::setenv("LAB_PEER_PASSWORD", "secret", 1);
  ::setenv("LAB_PEER_AUDIT_PASSWORD", "auditpw", 1);
  std::string cmd = "timeout 60 /usr/bin/python3 " + kScript + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {-1, "popen failed"};
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = ::pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

struct Mode {
  const char* name;
  const char* peer_mode;  // plain | tls | adh
  const char* service;
  Certificate::Kind cert;
  bool file_pki;
  TlsVersion version;
  bool legacy;
  const char* versions;  // what the versions check must see accepted
};

const Mode kModes[] = {
    {"plain", "plain", "api", Certificate::Kind::kNone, false, TlsVersion::kAny, false, ""},
    {"tls_files", "tls", "api-ssl", Certificate::Kind::kFiles, true, TlsVersion::kOnly12, false,
     "TLSv1.2"},
    {"tls_self_signed", "tls", "api-ssl", Certificate::Kind::kSelfSigned, false, TlsVersion::kAny,
     false, "TLSv1.2,TLSv1.3"},
    {"adh", "adh", "api-ssl", Certificate::Kind::kNone, false, TlsVersion::kAny, false, "TLSv1.2"},
    {"tls_legacy", "tls", "api-ssl", Certificate::Kind::kFiles, true, TlsVersion::kAny, true,
     "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3"},
    {"adh_legacy", "adh", "api-ssl", Certificate::Kind::kNone, false, TlsVersion::kAny, true,
     "TLSv1,TLSv1.1,TLSv1.2"},
};

class PeerLab {
 public:
  explicit PeerLab(const Mode& m) {
    auto cfg = testing::base_config();
    std::string server_name = "lab-rtr";
    if (std::string(m.service) == "api-ssl") {
      Service s = testing::tls_service("api-ssl", m.cert);
      s.tls_version = m.version;
      s.legacy_tls = m.legacy;
      if (m.file_pki) {
        std::string cmd = std::string(VANTAGE_SOURCE_DIR) + "/tests/lab/make_test_certs.sh " +
                          dir_.path.string() + " lab-rtr.test";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_test_certs.sh failed");
        s.certificate.cert_file = (dir_.path / "rtr.pem").string();
        s.certificate.key_file = (dir_.path / "rtr.key").string();
        s.certificate.chain_file = (dir_.path / "chain.pem").string();
        ca_ = (dir_.path / "ca.pem").string();
        server_name = "lab-rtr.test";
      }
      cfg.services["api"].disabled = true;
      cfg.services["api-ssl"] = s;
    }
    router_ = std::make_unique<Router>(cfg);
    router_->start();
    if (m.cert == Certificate::Kind::kSelfSigned) {
      ca_ = (dir_.path / "lab-ca.pem").string();
      std::ofstream(ca_) << router_->ca_pem();
    }
    args_ = " --port " + std::to_string(router_->port(m.service)) + " --mode " + m.peer_mode +
            " --service " + m.service + " --server-name " + server_name;
    if (!ca_.empty()) args_ += " --ca " + ca_;
  }
  std::pair<int, std::string> run(const std::string& check, const std::string& extra = "") {
    return run_peer(check + args_ + extra);
  }
  Router& router() { return *router_; }

 private:
  TempDir dir_;
  std::string ca_;
  std::unique_ptr<Router> router_;
  std::string args_;
};

void PrintTo(const Mode& m, std::ostream* os) {
  *os << m.name;
}

class Librouteros : public ::testing::TestWithParam<Mode> {};
class LibrouterosTls : public ::testing::TestWithParam<Mode> {};

TEST_P(Librouteros, LoginOk) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("login-ok");
  EXPECT_EQ(rc, 0) << out;
  bool logged = false;
  for (const auto& e : lab.router().log())
    logged |= e.kind == LogEntry::Kind::kLoginOk && e.user == "admin" &&
              e.service == GetParam().service && e.address == "127.0.0.1";
  EXPECT_TRUE(logged);
}

TEST_P(Librouteros, LoginFailureExactText) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("login-fail");
  EXPECT_EQ(rc, 0) << out;
  bool logged = false;
  for (const auto& e : lab.router().log()) {
    logged |= e.kind == LogEntry::Kind::kLoginFailed && e.user == "admin";
    EXPECT_EQ(e.message.find("definitely-wrong"), std::string::npos);
  }
  EXPECT_TRUE(logged);
}

TEST_P(Librouteros, PrintWithQuery) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("print-query");
  EXPECT_EQ(rc, 0) << out;
}

TEST_P(Librouteros, TaggedCommands) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("tagged");
  EXPECT_EQ(rc, 0) << out;
}

TEST_P(Librouteros, WriteDeniedForReadOnlyUser) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("write-denied");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(lab.router().identity(), "lab-rtr");
}

TEST_P(LibrouterosTls, Versions) {
  PeerLab lab(GetParam());
  auto [rc, out] = lab.run("versions", std::string(" --expect ") + GetParam().versions);
  EXPECT_EQ(rc, 0) << out;
}

TEST(LibrouterosAdh, AnonymousSuitesOnlyWithoutCertificate) {
  PeerLab lab(kModes[3]);
  auto [rc, out] = lab.run("adh-only");
  EXPECT_EQ(rc, 0) << out;
}

std::string mode_name(const ::testing::TestParamInfo<Mode>& p) {
  return p.param.name;
}
INSTANTIATE_TEST_SUITE_P(Modes, Librouteros, ::testing::ValuesIn(kModes), mode_name);
INSTANTIATE_TEST_SUITE_P(Modes, LibrouterosTls, ::testing::ValuesIn(kModes + 1, kModes + 6),
                         mode_name);

}  // namespace
}  // namespace vantage::lab
