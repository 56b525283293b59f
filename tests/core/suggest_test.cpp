// did_you_mean(): the "did you mean" of every unknown key, probe and source.
#include <gtest/gtest.h>

#include "core/json_config.hpp"

using namespace vantage;

namespace {
const std::vector<std::string> kKeys = {"id", "probe", "port", "from", "expect", "timeout_ms"};
}  // namespace

TEST(DidYouMean, SuggestsATypo) {
  EXPECT_EQ(did_you_mean("expcet", kKeys), "expect");  // a transposition is one edit
  EXPECT_EQ(did_you_mean("prboe", kKeys), "probe");
  EXPECT_EQ(did_you_mean("timout_ms", kKeys), "timeout_ms");
  EXPECT_EQ(did_you_mean("fro", kKeys), "from");
}

TEST(DidYouMean, IgnoresCase) {
  EXPECT_EQ(did_you_mean("EXPECT", kKeys), "expect");
}

TEST(DidYouMean, PicksTheClosestAndTheFirstOnATie) {
  EXPECT_EQ(did_you_mean("prot", kKeys), "port");  // 1 edit; "probe" is 2
  EXPECT_EQ(did_you_mean("pxrt", {"part", "port"}), "part");
}

TEST(DidYouMean, NothingWhenNothingIsClose) {
  EXPECT_EQ(did_you_mean("severity", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("expect", {}), std::nullopt);
  // The bound grows with the word: 3 edits are too many for a short word,
  // allowed for a long one.
  EXPECT_EQ(did_you_mean("abc", {"xyz"}), std::nullopt);
  EXPECT_EQ(did_you_mean("timeout", kKeys), std::nullopt);  // 3 edits from timeout_ms
  EXPECT_EQ(did_you_mean("max_per_targxyz", {"max_per_target"}), "max_per_target");
}

TEST(DidYouMean, CheckKeysUsesItOrListsTheValidKeys) {
  const ConfigDoc doc = ConfigDoc::parse("s.json", R"({"expcet": 1, "zzzzzz": 2})");
  Diagnostics diags(doc);
  EXPECT_TRUE(check_keys(doc.root(), JsonPath(), {"expect", "probe"}, diags));
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags.list()[0].message, "unknown key \"expcet\"; did you mean \"expect\"?");
  EXPECT_EQ(diags.list()[1].message, "unknown key \"zzzzzz\"; valid keys here are: expect probe");
}
