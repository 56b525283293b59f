// The machine-read formats against the schemas their readers use, kept in
// tests/data/schemas (sources in its README): SARIF against the official
// SARIF 2.1.0 JSON schema (Debian's python3-jsonschema), JUnit against
// Jenkins xUnit's junit-10.xsd and the Ant JUnit schema (xmllint). Each
// validator is also shown a broken document, so a validator that accepts
// anything cannot pass these tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fixture.hpp"
#include "reports/junit.hpp"
#include "reports/sarif.hpp"

namespace vantage::reports {
namespace {

const std::string kSchemas = std::string(VANTAGE_SOURCE_DIR) + "/tests/data/schemas/";

std::string write_temp(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("vantage-schemas-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

int shell(const std::string& cmd) {
  const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Debian's python: the first python3 on PATH may not see python3-jsonschema.
int validate_sarif(const std::string& text) {
  const auto file = write_temp("report.sarif", text);
  const int rc = shell(
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' " +
      kSchemas + "sarif-schema-2.1.0.json " + file);
  std::filesystem::remove(file);
  return rc;
}

int validate_xml(const std::string& xsd, const std::string& text) {
  const auto file = write_temp("report.xml", text);
  const int rc = shell("xmllint --noout --schema " + kSchemas + xsd + " " + file);
  std::filesystem::remove(file);
  return rc;
}

TEST(ReportSchemas, SarifIsValidSarif210) {
  EXPECT_EQ(validate_sarif(render_sarif(testing::sample_report().report)), 0);
  EXPECT_EQ(validate_sarif(render_sarif(testing::acceptance_sample().report)), 0);
  // A result per finding, the record in its properties, advice "informational".
  EXPECT_EQ(validate_sarif(render_sarif(testing::findings_sample().report)), 0);
}

TEST(ReportSchemas, TheSarifValidatorRejectsABrokenDocument) {
  auto doc = json::parse(render_sarif(testing::acceptance_sample().report));
  doc["runs"][0]["results"][0]["level"] = "fatal";  // not a SARIF level
  EXPECT_NE(validate_sarif(doc.dump()), 0);
  auto no_version = json::parse(render_sarif(testing::sample_report().report));
  no_version.erase("version");
  EXPECT_NE(validate_sarif(no_version.dump()), 0);
}

TEST(ReportSchemas, JunitIsValidForJenkinsXunitAndAnt) {
  for (const char* xsd : {"junit-10.xsd", "ant-junit.xsd"}) {
    EXPECT_EQ(validate_xml(xsd, render_junit(testing::sample_report().report)), 0) << xsd;
    EXPECT_EQ(validate_xml(xsd, render_junit(testing::acceptance_sample().report)), 0) << xsd;
    EXPECT_EQ(validate_xml(xsd, render_junit(testing::findings_sample().report)), 0) << xsd;
  }
}

TEST(ReportSchemas, TheXsdValidatorRejectsABrokenDocument) {
  std::string xml = render_junit(testing::sample_report().report);
  const auto at = xml.find("<testcase name=");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 15, "<testcase nome=");  // the required name is missing
  EXPECT_NE(validate_xml("junit-10.xsd", xml), 0);
  EXPECT_NE(validate_xml("ant-junit.xsd", xml), 0);
}

}  // namespace
}  // namespace vantage::reports
