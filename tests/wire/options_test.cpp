// `vantage wire` flags: durations, loss rates, per-direction overrides, and
// clear errors for what it cannot read.
#include "wire/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"

namespace vantage::wire {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(WireDuration, ReadsUnits) {
  EXPECT_EQ(parse_duration("delay", "60ms"), 60ms);
  EXPECT_EQ(parse_duration("delay", "1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("delay", "250us"), 250us);
  EXPECT_EQ(parse_duration("delay", "0.5ms"), 500us);
  EXPECT_EQ(parse_duration("delay", "0"), 0ms);
  EXPECT_EQ(parse_duration("delay", "0ms"), 0ms);
  EXPECT_EQ(parse_duration("duration", "2m", std::chrono::hours(1)), 120s);
}

TEST(WireDuration, RejectsWithTheFlagAndAnExample) {
  for (const char* bad :
       {"", "60", "ms", "-5ms", "5 ms", "5sec", "1.2.3s", "abc", "61s", "nan", "1e3ms"}) {
    try {
      parse_duration("ingress-delay", bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_THAT(e.what(), HasSubstr("--ingress-delay")) << bad;
    }
  }
  EXPECT_THROW(
      {
        try {
          parse_duration("delay", "60");
        } catch (const UsageError& e) {
          EXPECT_THAT(e.what(), HasSubstr("unit"));
          throw;
        }
      },
      UsageError);
}

TEST(WireDuration, FormatsBack) {
  EXPECT_EQ(format_duration(60ms), "60ms");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(12500ms), "12.5s");
  EXPECT_EQ(format_duration(250us), "250us");
  EXPECT_EQ(format_duration(1500us), "1.5ms");
  EXPECT_EQ(format_duration(0ms), "0ms");
}

TEST(WireLoss, ReadsPercentages) {
  EXPECT_DOUBLE_EQ(parse_loss("loss", "2%"), 0.02);
  EXPECT_DOUBLE_EQ(parse_loss("loss", "0.5%"), 0.005);
  EXPECT_DOUBLE_EQ(parse_loss("loss", "100%"), 1.0);
  EXPECT_DOUBLE_EQ(parse_loss("loss", "0"), 0.0);
  for (const char* bad : {"2", "0.02", "101%", "-1%", "%", "two%", "2%%"}) {
    try {
      parse_loss("egress-loss", bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_THAT(e.what(), HasSubstr("--egress-loss")) << bad;
    }
  }
}

TEST(WireOptions, BothDirectionsThenOverrides) {
  auto o = parse_options({"--delay",
                          "60ms",
                          "--jitter",
                          "5ms",
                          "--loss",
                          "2%",
                          "--egress-delay",
                          "10ms",
                          "--ingress-loss",
                          "0",
                          "--seed",
                          "7",
                          "--loopback",
                          "--queue-limit",
                          "50",
                          "--netns",
                          "vlab-router",
                          "--ready-file",
                          "/tmp/r",
                          "--duration",
                          "10m"});
  const WireConfig& c = o.config;
  EXPECT_FALSE(o.help);
  EXPECT_EQ(c.ingress.delay, 60ms);
  EXPECT_EQ(c.egress.delay, 10ms);
  EXPECT_EQ(c.ingress.jitter, 5ms);
  EXPECT_EQ(c.egress.jitter, 5ms);
  EXPECT_DOUBLE_EQ(c.ingress.loss, 0.0);
  EXPECT_DOUBLE_EQ(c.egress.loss, 0.02);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_TRUE(c.loopback);
  EXPECT_EQ(c.queue_limit, 50u);
  EXPECT_EQ(c.netns, "vlab-router");
  EXPECT_EQ(c.ready_file, "/tmp/r");
  EXPECT_EQ(c.duration, std::chrono::minutes(10));
  EXPECT_EQ(c.ingress.describe(), "delay 60ms jitter 5ms loss 0%");
  EXPECT_EQ(c.egress.describe(), "delay 10ms jitter 5ms loss 2%");
}

TEST(WireOptions, DefaultsAreAPlainLink) {
  auto c = parse_options({}).config;
  EXPECT_TRUE(c.ingress.none());
  EXPECT_TRUE(c.egress.none());
  EXPECT_FALSE(c.loopback);
  EXPECT_EQ(c.queue_limit, 1000u);
  EXPECT_FALSE(c.duration);
  EXPECT_FALSE(c.netns);
}

TEST(WireOptions, BadInputIsAUsageError) {
  const std::vector<std::vector<std::string>> bad = {{"--delay"},
                                                     {"--delay", "fast"},
                                                     {"--bogus"},
                                                     {"--queue-limit", "0"},
                                                     {"--queue-limit", "x"},
                                                     {"--loss", "3"},
                                                     {"--duration", "0"},
                                                     {"--jitter", "70s"},
                                                     {"--ingress-jitter", "5"},
                                                     {"stray"}};
  for (const auto& args : bad)
    EXPECT_THROW(parse_options(args), UsageError) << ::testing::PrintToString(args);
  try {
    parse_options({"--queue-limit", "0"});
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--queue-limit"));
  }
}

TEST(WireOptions, HelpNamesEveryFlag) {
  EXPECT_TRUE(parse_options({"--help"}).help);
  const std::string u = usage();
  for (const char* f :
       {"--delay", "--jitter", "--loss", "--ingress-delay", "--egress-delay", "--ingress-jitter",
        "--egress-jitter", "--ingress-loss", "--egress-loss", "--loopback", "--queue-limit",
        "--seed", "--duration", "--netns", "--ready-file"})
    EXPECT_THAT(u, HasSubstr(f));
}

}  // namespace
}  // namespace vantage::wire
