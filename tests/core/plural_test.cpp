#include "core/plural.hpp"

#include <gtest/gtest.h>

namespace vantage {
namespace {

TEST(Plural, HeadNounOfAPhrase) {
  EXPECT_EQ(plural("finding"), "findings");
  EXPECT_EQ(plural("forbidden suite"), "forbidden suites");
  EXPECT_EQ(plural("suite without forward secrecy"), "suites without forward secrecy");
  EXPECT_EQ(plural("API connection from outside 198.51.100.0/24"),
            "API connections from outside 198.51.100.0/24");
  EXPECT_EQ(plural("small DH group"), "small DH groups");
}

TEST(Plural, WordEndings) {
  EXPECT_EQ(plural("address"), "addresses");
  EXPECT_EQ(plural("match"), "matches");
  EXPECT_EQ(plural("box"), "boxes");
  EXPECT_EQ(plural("policy"), "policies");
  EXPECT_EQ(plural("day"), "days");
  EXPECT_EQ(plural("key"), "keys");
}

TEST(Plural, CountedSaysOneInTheSingular) {
  EXPECT_EQ(counted(0, "finding"), "0 findings");
  EXPECT_EQ(counted(1, "forbidden suite"), "1 forbidden suite");
  EXPECT_EQ(counted(2, "forbidden suite"), "2 forbidden suites");
  EXPECT_EQ(counted(1, "check"), "1 check");
  EXPECT_EQ(counted(3, "person", "people"), "3 people");
  EXPECT_EQ(counted(1, "person", "people"), "1 person");
}

}  // namespace
}  // namespace vantage
