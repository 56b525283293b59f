#include "reports/findings.hpp"

#include <gtest/gtest.h>

namespace vantage::reports {
namespace {

using results::Finding;

Finding suite(std::string name, std::string cls, std::string version = "TLSv1.2") {
  return {"forbidden suite", name, cls, version + " accepts forbidden suite " + name};
}

TEST(ReportsFindings, NoneIsEmpty) {
  EXPECT_EQ(collapse_findings({}), "");
}

TEST(ReportsFindings, OneFindingIsItsOwnSentence) {
  EXPECT_EQ(collapse_findings({suite("A", "null")}), "TLSv1.2 accepts forbidden suite A");
}

TEST(ReportsFindings, KindsInFirstSeenOrderCategoriesLargestFirst) {
  std::vector<Finding> f = {
      {"accepted version", "TLSv1.0", "", "TLSv1.0 accepted; expected refused"},
      {"accepted version", "TLSv1.1", "", "TLSv1.1 accepted; expected refused"},
      suite("A", "null"),
      suite("B", "anonymous"),
      suite("C", "anonymous"),
      suite("D", "export"),
      suite("E", "rc4"),
      suite("F", "anonymous"),
  };
  EXPECT_EQ(collapse_findings(f),
            "2 accepted versions: TLSv1.0, TLSv1.1; 6 forbidden suites: anonymous 3, null 1, "
            "export 1, ...");
  EXPECT_EQ(collapse_findings(f, 10),
            "2 accepted versions: TLSv1.0, TLSv1.1; 6 forbidden suites: anonymous 3, null 1, "
            "export 1, rc4 1");
}

TEST(ReportsFindings, ACountOfOneIsSingular) {
  // Was "1 forbidden suites: null 1".
  std::vector<Finding> f = {{"accepted version", "TLSv1.0", "", "TLSv1.0 accepted"},
                            suite("A", "null")};
  EXPECT_EQ(collapse_findings(f), "1 accepted version: TLSv1.0; 1 forbidden suite: null 1");
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
    f.push_back({"suite without forward secrecy", n, "", n});
  EXPECT_EQ(collapse_findings(f), "5 suites without forward secrecy: S1, S2, S3, ...");
}

TEST(ReportsFindings, AdviceComesLastAsANote) {
  std::vector<Finding> f = {
      {"api-ssl setting", "port", "", "api-ssl is on its default port", "", true},
      {"enabled service", "telnet", "", "service telnet is enabled", "/ip service disable telnet"},
      {"enabled service", "ftp", "", "service ftp is enabled", "/ip service disable ftp"},
  };
  EXPECT_EQ(collapse_findings(f), "2 enabled services: telnet, ftp; note: 1 api-ssl setting: port");
}

TEST(ReportsFindings, WithoutItemsEachTextCounts) {
  std::vector<Finding> f = {{"clock problem", "", "", "skew"},
                            {"clock problem", "", "", "drift"},
                            {"clock problem", "", "", "skew"}};
  EXPECT_EQ(collapse_findings(f), "2 clock problems");
}

TEST(ReportsFindings, LineCarriesFixAndAdvice) {
  EXPECT_EQ(finding_line({"enabled service", "ftp", "", "service ftp is enabled",
                          "/ip service disable ftp"}),
            "service ftp is enabled (fix: /ip service disable ftp)");
  EXPECT_EQ(finding_line({"k", "i", "", "default port", "", true}), "default port [info]");
}

}  // namespace
}  // namespace vantage::reports
