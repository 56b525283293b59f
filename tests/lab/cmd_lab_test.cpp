// `vantage lab`: options, config errors, and a run stopped by SIGTERM.
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace vantage::cli {
int cmd_lab(const Args& args);
}

namespace vantage {
namespace {

TEST(CmdLab, Help) {
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(cli::cmd_lab({"--help"}), 0);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("--config"), std::string::npos);
}

TEST(CmdLab, UsageErrors) {
  EXPECT_THROW(cli::cmd_lab({}), UsageError);
  EXPECT_THROW(cli::cmd_lab({"--bogus"}), UsageError);
}

TEST(CmdLab, BadConfigIsAConfigError) {
  auto f = std::filesystem::temp_directory_path() /
           ("vantage-cmdlab-" + std::to_string(::getpid()) + ".json");
  std::ofstream(f) << "{\"services\": {\"api\": {\"prot\": 1}}}";
  try {
    cli::cmd_lab({"--config", f.string()});
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"port\""), std::string::npos) << e.what();
    EXPECT_EQ(static_cast<int>(e.exit_code()), 65);
  }
  std::filesystem::remove(f);
}

TEST(CmdLab, RunsUntilSigterm) {
  auto dir =
      std::filesystem::temp_directory_path() / ("vantage-cmdlab-run-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "lab.json") << R"({"identity": "cli-rtr",
    "services": {"api": {"port": 0}, "api-ssl": {"port": 0, "certificate": "self-signed"}},
    "users": [{"name": "a", "group": "read", "password": "p"}]})";
  // Block SIGTERM process-wide first so the signal can only be taken by sigtimedwait.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  std::thread killer([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ::kill(::getpid(), SIGTERM);
  });
  ::testing::internal::CaptureStdout();
  auto t0 = std::chrono::steady_clock::now();
  int rc = cli::cmd_lab({"--config", (dir / "lab.json").string(), "--listen", "127.0.0.1",
                         "--write-ca", (dir / "ca.pem").string()});
  std::string out = ::testing::internal::GetCapturedStdout();
  killer.join();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(rc, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(6));
  EXPECT_NE(out.find("cli-rtr"), std::string::npos) << out;
  EXPECT_NE(out.find("api      127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("api-ssl  127.0.0.1:"), std::string::npos) << out;
  std::ifstream ca(dir / "ca.pem");
  std::string first;
  std::getline(ca, first);
  EXPECT_EQ(first, "-----BEGIN CERTIFICATE-----");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vantage
