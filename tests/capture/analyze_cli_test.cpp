// `vantage analyze` fails closed: exit 0 only when every frame of the input
// could be decoded and nothing was exposed (DESIGN.md exit codes: 1 exposure,
// 2 could not verify), with the reason on the console. Network text that is
// not UTF-8 still gives a valid JSON report, and control characters from the
// network never reach the terminal. Files are written here from built frames.
// The reports are the standard run report (every format, --report-dir), with
// a check per finding kind and the analysis as capture-verified's evidence.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "analysis_json.hpp"
#include "frames.hpp"
#include "proc.hpp"
#include "routeros/codec.hpp"

namespace vantage::capture::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kVantage = VANTAGE_BINARY;

// A classic pcap file (microsecond timestamps, little-endian).
void write_pcap(const fs::path& path, int dlt,
                const std::vector<std::vector<std::uint8_t>>& frames) {
  std::ofstream out(path, std::ios::binary);
  auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  u32(0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(262144);
  u32(static_cast<std::uint32_t>(dlt));
  std::uint32_t t = 1700000000;
  for (const auto& f : frames) {
    u32(t++);
    u32(0);
    u32(static_cast<std::uint32_t>(f.size()));
    u32(static_cast<std::uint32_t>(f.size()));
    out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  }
}

std::vector<std::uint8_t> sentence(std::initializer_list<std::string> words) {
  return routeros::Sentence(words).encode();
}

// Frames of one client->server conversation on `dport`.
struct Frames {
  std::vector<std::vector<std::uint8_t>> out;
  std::uint32_t cseq = 1000, sseq = 5000;
  std::uint16_t sport = 40000, dport = 8728;
  Tcp seg(bool from_client, std::uint8_t flags, std::vector<std::uint8_t> p = {}) const {
    Tcp t;
    if (!from_client) {
      std::swap(t.src_ip, t.dst_ip);
      t.sport = dport;
      t.dport = sport;
      t.seq = sseq;
    } else {
      t.sport = sport;
      t.dport = dport;
      t.seq = cseq;
    }
    t.flags = flags;
    t.payload = std::move(p);
    return t;
  }
  void handshake() {
    out.push_back(ipv4(seg(true, 0x02)));
    ++cseq;
    out.push_back(ipv4(seg(false, 0x12)));
    ++sseq;
    out.push_back(ipv4(seg(true, 0x10)));
  }
  void client(std::vector<std::uint8_t> p) {
    const auto n = static_cast<std::uint32_t>(p.size());
    out.push_back(ipv4(seg(true, 0x18, std::move(p))));
    cseq += n;
  }
  void server(std::vector<std::uint8_t> p) {
    const auto n = static_cast<std::uint32_t>(p.size());
    out.push_back(ipv4(seg(false, 0x18, std::move(p))));
    sseq += n;
  }
  void close() {
    out.push_back(ipv4(seg(true, 0x11)));
    ++cseq;
    out.push_back(ipv4(seg(false, 0x11)));
    ++sseq;
    out.push_back(ipv4(seg(true, 0x10)));
  }
};

class AnalyzeCli : public ::testing::Test {
 protected:
  CmdResult analyze(const std::vector<std::vector<std::uint8_t>>& frames, int dlt = kDltRaw,
                    const std::string& extra = "") {
    write_pcap(dir / "in.pcap", dlt, frames);
    return sh(kVantage + " analyze " + (dir / "in.pcap").string() + " --json " +
              (dir / "out.json").string() + extra);
  }
  TempDir dir{"analyze-cli"};
};

// A clean, fully decodable capture: TLS on 8729 and an API flow that only
// says "not logged in" is still plaintext API; a clean one is TLS only.
TEST_F(AnalyzeCli, CleanDecodableCaptureExitsZero) {
  Frames f;
  f.dport = 8729;
  f.handshake();
  f.close();
  auto r = analyze(f.out);
  EXPECT_EQ(r.exit, 0) << r.out;
}

TEST_F(AnalyzeCli, UnsupportedLinkTypeCannotBeVerified) {
  Frames f;
  f.handshake();
  f.client(sentence({"/login", "=name=admin", "=password=s3cret"}));
  std::vector<std::vector<std::uint8_t>> frames;
  for (const auto& ip : f.out) frames.push_back(with_link(kDltEn10mb, ip));
  auto r = analyze(frames, 127 /* IEEE802_11_RADIO */);
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("not supported"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("could not verify"), std::string::npos) << r.out;
  const json rep = json::parse(slurp(dir / "out.json"));
  EXPECT_FALSE(analysis_of(rep).at("summary").at("verified").get<bool>()) << rep.dump(1);
  // Fail closed: no finding on an input that could not be verified is an error, not a pass.
  EXPECT_EQ(rep.at("counts").at("pass").get<int>(), 0) << rep.dump(1);
  EXPECT_EQ(rep.at("counts").at("error").get<int>(), 4) << rep.dump(1);
}

TEST_F(AnalyzeCli, AllFramesMalformedCannotBeVerified) {
  std::vector<std::vector<std::uint8_t>> frames;
  for (int i = 0; i < 5; ++i) {
    auto ip = ipv4(Tcp{});
    ip[0] = 0x4f;  // IHL 60 > what follows... and a bad total length
    ip[2] = 0;
    ip[3] = 10;
    frames.push_back(ip);
  }
  auto r = analyze(frames);
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("could not verify"), std::string::npos) << r.out;
}

// Bytes to the API port that could not be decoded because the capture
// missed some: they may have carried a plaintext login.
TEST_F(AnalyzeCli, UndecodableApiPortFlowCannotBeVerified) {
  Frames f;
  f.handshake();
  auto login = sentence({"/login", "=name=admin", "=password=s3cret"});
  f.cseq += 7;  // the first 7 bytes were never captured
  f.client(std::vector<std::uint8_t>(login.begin() + 7, login.end()));
  f.close();
  auto r = analyze(f.out);
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("8728"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("could not verify"), std::string::npos) << r.out;
}

// A plaintext /login that the router accepted.
std::vector<std::vector<std::uint8_t>> plaintext_login() {
  Frames f;
  f.handshake();
  f.client(sentence({"/login", "=name=admin", "=password=s3cret"}));
  f.server(sentence({"!done"}));
  f.close();
  return f.out;
}

TEST_F(AnalyzeCli, ExposureStillExitsOne) {
  auto r = analyze(plaintext_login());
  EXPECT_EQ(r.exit, 1) << r.out;
}

// Every report format, the same run report as `vantage run` writes: a check
// per finding kind with the findings as evidence, and the pcap linked.
TEST_F(AnalyzeCli, EveryReportFormatIsTheStandardRunReport) {
  auto r = analyze(plaintext_login(), kDltRaw, " --report-dir " + (dir / "out").string());
  EXPECT_EQ(r.exit, 1) << r.out;
  for (const char* file : {"report.json", "report.xml", "report.html"}) {
    ASSERT_TRUE(fs::exists(dir / "out" / file)) << file << "\n" << r.out;
    EXPECT_EQ(slurp(dir / "out" / file).find("s3cret"), std::string::npos) << file;
  }
  EXPECT_NE(r.out.find("json report: " + (dir / "out" / "report.json").string()), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("4 checks: 2 passed, 2 failed"), std::string::npos) << r.out;
  const json rep = json::parse(slurp(dir / "out" / "report.json"));
  EXPECT_EQ(rep["format"], "vantage-report");
  EXPECT_EQ(rep["scenarios"][0]["name"], "vantage analyze");
  std::map<std::string, std::string> status;
  for (const auto& c : rep["scenarios"][0]["targets"][0]["checks"])
    status[c["id"]] = c["verdict"]["status"];
  EXPECT_EQ(status, (std::map<std::string, std::string>{{"capture-verified", "pass"},
                                                        {"credential-exposure", "fail"},
                                                        {"non-tls-on-tls-port", "pass"},
                                                        {"plaintext-api", "fail"}}));
  const auto& cred = rep["scenarios"][0]["targets"][0]["checks"][0];
  EXPECT_EQ(cred["observation"]["evidence"]["findings"][0]["user"], "admin") << cred.dump(1);
  EXPECT_EQ(rep["artifacts"][0]["path"], (dir / "in.pcap").string());
  const std::string xml = slurp(dir / "out" / "report.xml");
  EXPECT_NE(xml.find("<testcase name=\"credential-exposure\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("[[ATTACHMENT|" + (dir / "in.pcap").string() + "]]"), std::string::npos);
}

// vantage's own plaintext detection (/login as vantage-probe, empty secret)
// sent to api-ssl after its TLS handshake timed out, unanswered: nothing
// crossed but vantage's own probe, so it is information, not a finding.
std::vector<std::vector<std::uint8_t>> detection_login(
    const std::vector<std::string>& login = {"/login", "=name=vantage-probe", "=password="},
    const std::vector<std::uint8_t>& then_client = {},
    const std::vector<std::uint8_t>& server = {}) {
  Frames f;
  f.dport = 8729;
  f.handshake();
  routeros::Sentence s;
  s.words = login;
  f.client(s.encode());
  if (!then_client.empty()) f.client(then_client);
  if (!server.empty()) f.server(server);
  f.close();
  return f.out;
}

std::map<std::string, std::string> check_status(const json& rep) {
  std::map<std::string, std::string> status;
  for (const auto& c : rep["scenarios"][0]["targets"][0]["checks"])
    status[c["id"]] = c["verdict"]["status"];
  return status;
}

TEST_F(AnalyzeCli, OwnUnansweredDetectionLoginIsInformation) {
  auto r = analyze(detection_login());
  EXPECT_EQ(r.exit, 0) << r.out;
  const json rep = json::parse(slurp(dir / "out.json"));
  EXPECT_EQ(check_status(rep), (std::map<std::string, std::string>{{"capture-verified", "pass"},
                                                                   {"credential-exposure", "pass"},
                                                                   {"non-tls-on-tls-port", "pass"},
                                                                   {"plaintext-api", "pass"}}))
      << rep.dump(1);
  // Still reported, as information.
  const json findings = analysis_of(rep).at("findings");
  ASSERT_EQ(findings.size(), 1u) << findings.dump(1);
  EXPECT_EQ(findings[0]["kind"], "detection-login");
  EXPECT_EQ(findings[0]["severity"], "info");
  EXPECT_NE(findings[0]["message"].get<std::string>().find("vantage-probe"), std::string::npos);
  // A TLS server answering the plaintext with a TLS alert gave no API answer either.
  const std::vector<std::string> own = {"/login", "=name=vantage-probe", "=password="};
  auto alert = analyze(detection_login(own, {}, {21, 3, 3, 0, 2, 2, 10}));
  EXPECT_EQ(alert.exit, 0) << alert.out;
  EXPECT_NE(alert.out.find("answered only in TLS"), std::string::npos) << alert.out;
}

// Fail closed: an API answer from the server, another client sentence,
// bytes after the login, a secret, or another user keep it a failure.
TEST_F(AnalyzeCli, DetectionLoginWithAnythingMoreStaysAFinding) {
  const std::vector<std::string> own = {"/login", "=name=vantage-probe", "=password="};
  struct Case {
    const char* what;
    std::vector<std::vector<std::uint8_t>> frames;
    const char* failing;
  };
  const std::vector<Case> cases = {
      {"the server answered in the API",
       detection_login(own, {}, sentence({"!trap", "=message=invalid user name or password (6)"})),
       "plaintext-api"},
      {"the server answered with other plaintext",
       detection_login(own, {}, bytes_of("HTTP/1.0 400 Bad Request\r\n\r\n")), "plaintext-api"},
      {"another client sentence", detection_login(own, sentence({"/system/resource/print"})),
       "plaintext-api"},
      {"bytes after the login that are no sentence",
       detection_login(own, bytes_of("\x7f\x7f\x7f junk")), "plaintext-api"},
      {"a secret under the probe's name",
       detection_login({"/login", "=name=vantage-probe", "=password=s3cret"}),
       "credential-exposure"},
      {"a legacy response under the probe's name",
       detection_login({"/login", "=name=vantage-probe", "=response=00aabb"}),
       "credential-exposure"},
      {"another user with an empty secret",
       detection_login({"/login", "=name=admin", "=password="}), "plaintext-api"},
  };
  for (const auto& c : cases) {
    auto r = analyze(c.frames);
    EXPECT_EQ(r.exit, 1) << c.what << "\n" << r.out;
    const json rep = json::parse(slurp(dir / "out.json"));
    EXPECT_EQ(check_status(rep)[c.failing], "fail") << c.what << "\n" << rep.dump(1);
  }
  // Bytes of the flow the capture missed: it cannot say nothing else crossed.
  Frames f;
  f.dport = 8729;
  f.handshake();
  f.client(sentence({"/login", "=name=vantage-probe", "=password="}));
  f.sseq += 40;  // a server reply the capture never saw
  f.server(sentence({"!done"}));
  f.close();
  auto r = analyze(f.out);
  EXPECT_NE(r.exit, 0) << r.out;
}

// A cp1252 user name and SNI: the JSON report is written, valid UTF-8, and
// shows the name as the router meant it; an ESC in a name stays off the terminal.
TEST_F(AnalyzeCli, NonUtf8NetworkTextNeverLosesTheReport) {
  Frames f;
  f.handshake();
  f.client(sentence({"/login", "=name=J\xF6rg", "=password=s3cret"}));
  f.server(sentence({"!done"}));
  f.close();
  Frames e;
  e.sport = 40001;
  e.handshake();
  e.client(sentence({"/login", "=name=evil\x1b]0;owned\x07\x1b[2J", "=password=s3cret"}));
  e.close();
  Frames t;
  t.sport = 40002;
  t.dport = 8729;
  t.handshake();
  // A TLS ClientHello whose SNI is "r\xE9seau" (not UTF-8).
  const std::string host = "r\xE9seau";
  std::vector<std::uint8_t> ext = {0,
                                   0,
                                   0,
                                   static_cast<std::uint8_t>(host.size() + 5),
                                   0,
                                   static_cast<std::uint8_t>(host.size() + 3),
                                   0,
                                   0,
                                   static_cast<std::uint8_t>(host.size())};
  ext.insert(ext.end(), host.begin(), host.end());
  std::vector<std::uint8_t> body = {3, 3};
  body.insert(body.end(), 32, 0x11);
  body.insert(body.end(), {0, 0, 2, 0x13, 0x01, 1, 0, 0, static_cast<std::uint8_t>(ext.size())});
  body.insert(body.end(), ext.begin(), ext.end());
  std::vector<std::uint8_t> rec = {22,
                                   3,
                                   1,
                                   0,
                                   static_cast<std::uint8_t>(body.size() + 4),
                                   1,
                                   0,
                                   0,
                                   static_cast<std::uint8_t>(body.size())};
  rec.insert(rec.end(), body.begin(), body.end());
  t.client(rec);
  t.close();
  std::vector<std::vector<std::uint8_t>> frames = f.out;
  frames.insert(frames.end(), e.out.begin(), e.out.end());
  frames.insert(frames.end(), t.out.begin(), t.out.end());
  auto r = analyze(frames);
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(dir / "out.json")) << r.out;
  const std::string text = slurp(dir / "out.json");
  json rep;  // nlohmann's parser rejects invalid UTF-8
  ASSERT_NO_THROW(rep = json::parse(text));
  EXPECT_NE(text.find("J\xC3\xB6rg"), std::string::npos) << text;
  EXPECT_NE(text.find("r\xC3\xA9seau"), std::string::npos) << text;
  // JUnit too: the name as the router meant it, and no control character.
  auto x = analyze(frames, kDltRaw, " --junit " + (dir / "out.xml").string());
  const std::string xml = slurp(dir / "out.xml");
  EXPECT_NE(xml.find("J\xC3\xB6rg"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x1b'), std::string::npos) << xml;
}

}  // namespace
}  // namespace vantage::capture::testing
