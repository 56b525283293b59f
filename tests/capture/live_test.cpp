// Captures made by the tests themselves on loopback (tcpdump, and vantage
// watch), analysed offline: pcap, pcapng, a truncated and a corrupt file,
// mixed link types, and tshark as an oracle for every TLS handshake.
// Needs root (raw capture) and peers (tcpdump, tshark, openssl, editcap).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "analysis_json.hpp"
#include "live_traffic.hpp"
#include "tls/cipher_suites.hpp"

namespace vantage::capture::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kVantage = VANTAGE_BINARY;
const std::string kSecret = "Tr0ub4dor-capture-test";
const std::string kUser = "auditor";

struct Traffic {
  std::uint16_t api_port = 0, tls_port = 0;
  std::vector<Negotiated> tls;  // in order
};

// Plaintext login, then a TLS 1.2 and a TLS 1.3 handshake.
Traffic make_traffic(const TempDir& dir, ApiResponder& api, std::uint16_t tls_port) {
  Traffic t;
  t.api_port = api.port();
  t.tls_port = tls_port;
  Background server("openssl s_server -accept 127.0.0.1:" + std::to_string(t.tls_port) + " -cert " +
                        (dir / "cert.pem").string() + " -key " + (dir / "key.pem").string() +
                        " -naccept 2 -quiet",
                    dir / "s_server.log");
  // Wait until it listens.
  for (int i = 0; i < 100; ++i) {
    if (sh("ss -Hltn 'sport = :" + std::to_string(t.tls_port) + "'").out.find("LISTEN") !=
        std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  EXPECT_TRUE(api_login(t.api_port, kUser, kSecret));
  t.tls.push_back(tls_handshake(t.tls_port, "-tls1_2"));
  t.tls.push_back(tls_handshake(t.tls_port, "-tls1_3"));
  server.wait(std::chrono::seconds(3));
  return t;
}

std::string ports_args(const Traffic& t) {
  return " --api-port " + std::to_string(t.api_port) + " --tls-port " + std::to_string(t.tls_port);
}

// tcpdump on lo, around make_traffic().
// With `any_pcap`, a second tcpdump on "any" (LINUX_SLL2) records the same traffic.
Traffic tcpdump_capture(const TempDir& dir, const fs::path& pcap, const fs::path& any_pcap = {}) {
  ApiResponder api;
  const std::uint16_t tls_port = free_port();
  const std::string filter =
      "'tcp port " + std::to_string(api.port()) + " or tcp port " + std::to_string(tls_port) + "'";
  Background dump("tcpdump -i lo -U --immediate-mode -n -w " + pcap.string() + " " + filter,
                  dir / "tcpdump.log");
  EXPECT_TRUE(dump.wait_for_log("listening on", std::chrono::seconds(10))) << dump.log();
  std::unique_ptr<Background> dump_any;
  if (!any_pcap.empty()) {
    dump_any = std::make_unique<Background>(
        "tcpdump -i any -U --immediate-mode -n -w " + any_pcap.string() + " " + filter,
        dir / "tcpdump-any.log");
    EXPECT_TRUE(dump_any->wait_for_log("listening on", std::chrono::seconds(10)));
  }
  Traffic t = make_traffic(dir, api, tls_port);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  dump.signal(SIGINT);
  EXPECT_GE(dump.wait(std::chrono::seconds(10)), 0);
  if (dump_any) {
    dump_any->signal(SIGINT);
    EXPECT_GE(dump_any->wait(std::chrono::seconds(10)), 0);
  }
  return t;
}

json analyze_json(const fs::path& in, const fs::path& out, const Traffic& t, int& exit_code,
                  std::string& console) {
  auto r = sh(kVantage + " analyze " + in.string() + ports_args(t) + " --json " + out.string());
  exit_code = r.exit;
  console = r.out;
  return analysis_of(json::parse(slurp(out)));
}

// Flows of the test's own ports only (the loopback may carry other traffic).
std::vector<json> flows_to(const json& report, std::uint16_t port) {
  std::vector<json> out;
  for (const auto& f : report["flows"]) {
    const std::string server = f["server"];
    if (server == "127.0.0.1:" + std::to_string(port)) out.push_back(f);
  }
  return out;
}

void expect_report_matches(const json& rep, const Traffic& t) {
  bool exposed = false;
  for (const auto& f : rep["findings"]) {
    if (f["kind"] == "credential-exposure" && f["user"] == kUser &&
        f["server"] == "127.0.0.1:" + std::to_string(t.api_port)) {
      exposed = true;
      EXPECT_FALSE(f["packets"].empty());
      EXPECT_GT(f["packets"][0]["number"].get<int>(), 0);
    }
  }
  EXPECT_TRUE(exposed) << rep["findings"].dump(1);
  auto api = flows_to(rep, t.api_port);
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["class"], "routeros-api-plaintext");
  EXPECT_TRUE(api[0]["syn_seen"].get<bool>());
  EXPECT_GT(api[0]["bytes_client_to_server"].get<int>(), 0);
  EXPECT_GT(api[0]["bytes_server_to_client"].get<int>(), 0);
  auto tls = flows_to(rep, t.tls_port);
  ASSERT_EQ(tls.size(), t.tls.size());
  for (std::size_t i = 0; i < tls.size(); ++i) {
    EXPECT_EQ(tls[i]["class"], "tls");
    ASSERT_TRUE(tls[i].contains("tls")) << tls[i].dump(1);
    ASSERT_TRUE(tls[i]["tls"].contains("server_hello")) << tls[i].dump(1);
    // The witness equals what the TLS client negotiated.
    EXPECT_EQ(tls[i]["tls"]["server_hello"]["version"], t.tls[i].version);
    const auto* suite = vantage::tls::find_suite(t.tls[i].cipher);
    ASSERT_NE(suite, nullptr) << t.tls[i].cipher;
    EXPECT_EQ(tls[i]["tls"]["server_hello"]["suite"], suite->iana);
    EXPECT_EQ(tls[i]["tls"]["client_hello"]["server_name"], "router.test");
  }
}

struct ServerHelloSeen {
  std::string version;
  std::uint16_t suite = 0;
};

// tshark's view: client port -> negotiated version and suite.
std::map<std::uint16_t, ServerHelloSeen> tshark_server_hellos(const fs::path& pcap,
                                                              std::uint16_t tls_port) {
  auto r = sh("tshark -n -r " + pcap.string() + " -d tcp.port==" + std::to_string(tls_port) +
              ",tls -Y 'tls.handshake.type == 2' -T fields -E separator=, -e tcp.dstport "
              "-e tls.handshake.version -e tls.handshake.extensions.supported_version "
              "-e tls.handshake.ciphersuite");
  std::map<std::uint16_t, ServerHelloSeen> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string x;
    while (std::getline(ls, x, ',')) f.push_back(x);
    if (f.size() < 4) continue;
    auto hex = [](const std::string& s) {
      return static_cast<std::uint16_t>(std::stoul(s, nullptr, 0));
    };
    std::uint16_t v = f[2].empty() ? hex(f[1]) : hex(f[2]);
    const char* names[] = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
    out[static_cast<std::uint16_t>(std::stoul(f[0]))] = {
        v >= 0x0300 && v <= 0x0304 ? names[v - 0x0300] : "?", hex(f[3])};
  }
  return out;
}

void expect_tshark_agrees(const fs::path& pcap, const json& rep, std::uint16_t tls_port) {
  auto oracle = tshark_server_hellos(pcap, tls_port);
  auto tls = flows_to(rep, tls_port);
  ASSERT_FALSE(tls.empty());
  ASSERT_EQ(oracle.size(), tls.size()) << "tshark and vantage disagree on the number of handshakes";
  for (const auto& f : tls) {
    const std::string client = f["client"];
    const auto port = static_cast<std::uint16_t>(std::stoul(client.substr(client.rfind(':') + 1)));
    ASSERT_TRUE(oracle.count(port)) << client;
    EXPECT_EQ(f["tls"]["server_hello"]["version"], oracle[port].version) << client;
    char code[8];
    std::snprintf(code, sizeof code, "0x%04X", oracle[port].suite);
    EXPECT_EQ(f["tls"]["server_hello"]["suite_code"], code) << client;
  }
}

std::string all_text(const TempDir& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    if (e.is_regular_file()) all += slurp(e.path());
  return all;
}

class CaptureLive : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir.path().empty());
    ASSERT_TRUE(make_cert(dir));
  }
  TempDir dir{"capture"};
};

TEST_F(CaptureLive, TcpdumpPcapAndPcapngAreAnalysedAndTsharkAgrees) {
  const fs::path pcap = dir / "tcpdump.pcap";
  Traffic t = tcpdump_capture(dir, pcap);
  ASSERT_EQ(t.tls.size(), 2u);
  ASSERT_EQ(t.tls[0].version, "TLSv1.2");
  ASSERT_EQ(t.tls[1].version, "TLSv1.3");
  ASSERT_EQ(sh("editcap -F pcapng " + pcap.string() + " " + (dir / "tcpdump.pcapng").string()).exit,
            0);
  for (const char* name : {"tcpdump.pcap", "tcpdump.pcapng"}) {
    SCOPED_TRACE(name);
    int code = -1;
    std::string console;
    json rep = analyze_json(dir / name, dir / (std::string(name) + ".json"), t, code, console);
    EXPECT_EQ(code, 1) << console;  // plaintext API and a credential
    EXPECT_EQ(console.find(kSecret), std::string::npos);
    EXPECT_NE(console.find("credential exposed"), std::string::npos) << console;
    expect_report_matches(rep, t);
    EXPECT_TRUE(rep["sources"][0]["complete"].get<bool>());
    expect_tshark_agrees(dir / name, rep, t.tls_port);
  }
  // JUnit too, and no output file holds the secret (the tcpdump pcap, being
  // tcpdump's, does: it is removed before the check).
  auto r = sh(kVantage + " analyze " + pcap.string() + ports_args(t) + " --junit " +
              (dir / "a.xml").string());
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(slurp(dir / "a.xml").find("credential-exposure"), std::string::npos);
  fs::remove(pcap);
  fs::remove(dir / "tcpdump.pcapng");
  EXPECT_EQ(all_text(dir).find(kSecret), std::string::npos);
}

TEST_F(CaptureLive, TruncatedCorruptAndMixedFilesAreReportedPerPacket) {
  const fs::path pcap = dir / "t.pcap";
  Traffic t = tcpdump_capture(dir, pcap, dir / "any.pcap");
  // Cut the last packet in half.
  const fs::path cut = dir / "cut.pcap";
  fs::copy_file(pcap, cut);
  fs::resize_file(cut, fs::file_size(pcap) - 9);
  int code = -1;
  std::string console;
  json rep = analyze_json(cut, dir / "cut.json", t, code, console);
  EXPECT_EQ(code, 1) << console;  // the login came before the cut: still found
  EXPECT_FALSE(rep["sources"][0]["complete"].get<bool>());
  ASSERT_EQ(rep["problems"].size(), 1u) << rep["problems"].dump();
  const auto read = rep["sources"][0]["packets"].get<int>();
  EXPECT_EQ(rep["problems"][0]["packet"]["number"].get<int>(), read + 1);
  EXPECT_NE(rep["problems"][0]["problem"].get<std::string>().find("truncated"), std::string::npos);
  // Without the findings a truncated file is not a clean pass: exit 2.
  auto clean = sh(kVantage + " analyze " + cut.string() + " --api-port 1 --tls-port 2 --json " +
                  (dir / "c.json").string());
  EXPECT_NE(clean.exit, 0);

  // Garbage is an error, not a crash.
  {
    std::ofstream g(dir / "garbage.pcap", std::ios::binary);
    g << std::string(200, 'x');
  }
  auto bad = sh(kVantage + " analyze " + (dir / "garbage.pcap").string());
  EXPECT_EQ(bad.exit, 2) << bad.out;
  EXPECT_NE(bad.out.find("garbage.pcap"), std::string::npos);

  // A pcapng whose interfaces have different link types (EN10MB + LINUX_SLL2).
  // libpcap refuses such a file at its second interface; vantage reads on.
  const fs::path mixed = dir / "mixed.pcapng";
  ASSERT_EQ(sh("mergecap -F pcapng -w " + mixed.string() + " " + pcap.string() + " " +
               (dir / "any.pcap").string())
                .exit,
            0);
  json mrep = analyze_json(mixed, dir / "mixed.json", t, code, console);
  EXPECT_EQ(code, 1) << console;
  EXPECT_TRUE(mrep["sources"][0]["complete"].get<bool>()) << mrep["problems"].dump();
  const std::string lt = mrep["sources"][0]["link_type"];
  EXPECT_NE(lt.find("EN10MB"), std::string::npos) << lt;
  EXPECT_NE(lt.find("LINUX_SLL2"), std::string::npos) << lt;
  const auto lo_packets = sh("capinfos -c -M " + pcap.string()).out;
  const auto any_packets = sh("capinfos -c -M " + (dir / "any.pcap").string()).out;
  auto count = [](const std::string& s) {
    auto p = s.rfind(':');
    return std::stoi(s.substr(p + 1));
  };
  EXPECT_EQ(mrep["sources"][0]["packets"].get<int>(), count(lo_packets) + count(any_packets));
  expect_report_matches(mrep, t);
}

TEST_F(CaptureLive, WatchStopsOnCtrlCAndStillWritesItsReport) {
  ApiResponder api;
  const fs::path json_out = dir / "watch.json";
  Background watch(kVantage + " watch --interface lo --filter 'port " + std::to_string(api.port()) +
                       "' --api-port " + std::to_string(api.port()) + " --json " +
                       json_out.string(),
                   dir / "watch.log");
  ASSERT_TRUE(watch.wait_for_log("watching", std::chrono::seconds(10))) << watch.log();
  ASSERT_TRUE(api_login(api.port(), kUser, kSecret));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  watch.signal(SIGINT);
  // Not killed by the signal: a normal exit with the finding's code.
  EXPECT_EQ(watch.wait(std::chrono::seconds(10)), 1) << watch.log();
  const std::string log = watch.log();
  EXPECT_NE(log.find("stopping (SIGINT)"), std::string::npos) << log;
  EXPECT_NE(log.find("credential exposed"), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecret), std::string::npos);
  json rep = analysis_of(json::parse(slurp(json_out)));
  EXPECT_TRUE(rep["summary"]["exposure"].get<bool>());
}

TEST_F(CaptureLive, WatchThatSeesNothingIsNotAPass) {
  Background watch(kVantage + " watch --interface lo --filter 'port 9' --duration 1s",
                   dir / "watch.log");
  EXPECT_EQ(watch.wait(std::chrono::seconds(15)), 2) << watch.log();
}

}  // namespace
}  // namespace vantage::capture::testing
