// Files a person names are read without trusting them: nesting is bounded at
// parse time, and only small regular files are read, never blocking.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/json_config.hpp"
#include "core/small_file.hpp"

namespace vantage {
namespace {

TEST(JsonDepth, AMegabyteOfOpenBracketsIsALocatedConfigError) {
  const std::string text(1 << 20, '[');
  try {
    ConfigDoc::parse("deep.json", text);
    FAIL() << "parsed";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const auto& d = e.diagnostics()[0];
    EXPECT_EQ(d.file, "deep.json");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.column, kMaxJsonDepth + 1);
    EXPECT_NE(d.message.find("nested deeper than 64 levels"), std::string::npos) << d.message;
    EXPECT_EQ(e.exit_code(), ExitCode::kBadScenario);
  }
}

TEST(JsonDepth, BracketsInStringsAndCommentsDoNotCount) {
  const std::string deep(100, '[');
  EXPECT_FALSE(json_too_deep("{\"a\": \"" + deep + "\"} // " + deep + "\n/* " + deep + " */"));
  EXPECT_FALSE(json_too_deep(R"({"a": "\"[[[[", "b": [[1]]})", 3));
  EXPECT_EQ(json_too_deep(R"({"a": [[1]]})", 2), 7u);
  // Exactly at the limit parses.
  const std::string at(kMaxJsonDepth, '['), close(kMaxJsonDepth, ']');
  EXPECT_NO_THROW(ConfigDoc::parse("ok.json", at + close));
}

class SmallFile : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vt-small-file-" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(SmallFile, ReadsARegularFileWhole) {
  std::ofstream(dir / "pw") << "s3cret\n";
  std::string why;
  auto got = read_small_file(dir / "pw", kMaxSecretFileBytes, why);
  ASSERT_TRUE(got) << why;
  EXPECT_EQ(*got, "s3cret\n");
}

TEST_F(SmallFile, AFifoWithNoWriterIsRefusedAtOnce) {
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  std::string why;
  EXPECT_FALSE(read_small_file(fifo, kMaxSecretFileBytes, why));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_NE(why.find("not a regular file"), std::string::npos) << why;
}

TEST_F(SmallFile, DevicesAndLargeFilesAreRefusedWithoutReadingThem) {
  std::string why;
  EXPECT_FALSE(read_small_file("/dev/zero", kMaxSecretFileBytes, why));
  EXPECT_NE(why.find("/dev/zero: not a regular file"), std::string::npos) << why;
  std::ofstream(dir / "big") << std::string(kMaxSecretFileBytes + 1, 'x');
  EXPECT_FALSE(read_small_file(dir / "big", kMaxSecretFileBytes, why));
  EXPECT_NE(why.find("larger than 4096 bytes"), std::string::npos) << why;
  EXPECT_EQ(why.find("xxxx"), std::string::npos);  // never the content
  EXPECT_FALSE(read_small_file(dir / "missing", kMaxSecretFileBytes, why));
  EXPECT_NE(why.find("cannot open"), std::string::npos) << why;
}

TEST_F(SmallFile, ConfigLoadSaysWhyAFileIsRefused) {
  try {
    ConfigDoc::load("/dev/zero");
    FAIL() << "loaded";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.diagnostics()[0].message.find("not a regular file"), std::string::npos);
  }
}

}  // namespace
}  // namespace vantage
