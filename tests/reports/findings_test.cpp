#include "reports/findings.hpp"

#include <gtest/gtest.h>

namespace vantage::reports {
namespace {

using results::Finding;

Finding suite(std::string name, std::string cls, std::string version = "TLSv1.2") {
  return {"forbidden suites", name, cls, version + " accepts forbidden suite " + name};
}

TEST(ReportsFindings, NoneIsEmpty) {
  EXPECT_EQ(collapse_findings({}), "");
}

TEST(ReportsFindings, KindsInFirstSeenOrderCategoriesLargestFirst) {
  std::vector<Finding> f = {
      {"accepted", "TLSv1.0", "", "TLSv1.0 accepted; expected refused"},
      {"accepted", "TLSv1.1", "", "TLSv1.1 accepted; expected refused"},
      suite("A", "null"),
      suite("B", "anonymous"),
      suite("C", "anonymous"),
      suite("D", "export"),
      suite("E", "rc4"),
      suite("F", "anonymous"),
  };
  EXPECT_EQ(collapse_findings(f),
            "TLSv1.0, TLSv1.1 accepted; 6 forbidden suites: anonymous 3, null 1, export 1, ...");
  EXPECT_EQ(collapse_findings(f, 10),
            "TLSv1.0, TLSv1.1 accepted; 6 forbidden suites: anonymous 3, null 1, export 1, rc4 1");
}

TEST(ReportsFindings, AnItemSeenTwiceCountsOnce) {
  // The same suite accepted on two versions is one forbidden suite.
  std::vector<Finding> f = {suite("A", "null", "TLSv1.2"), suite("A", "null", "TLSv1.1"),
                            suite("B", "null")};
  EXPECT_EQ(collapse_findings(f), "2 forbidden suites: null 2");
}

TEST(ReportsFindings, ManyUncategorisedItemsAreCountedAndCut) {
  std::vector<Finding> f;
  for (const char* n : {"S1", "S2", "S3", "S4", "S5"})
    f.push_back({"suites without forward secrecy", n, "", n});
  EXPECT_EQ(collapse_findings(f), "5 suites without forward secrecy: S1, S2, S3, ...");
}

}  // namespace
}  // namespace vantage::reports
