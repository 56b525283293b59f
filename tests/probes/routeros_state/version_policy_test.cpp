// The version policy of the routeros-state `version` aspect: a bad policy is
// a located error naming what to write; the train rule (per-train fixes, an
// unlisted train older or newer than the listed ones, "introduced"); the
// judge's one finding per missing fix; the shipped policy file; and a check
// that names the shipped file by a path relative to the scenario.
#include "probes/routeros_state/version_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kSource = VANTAGE_SOURCE_DIR;

// The diagnostics of parsing `text` as a policy; none when it parses.
std::vector<Diagnostic> problems(const std::string& text) {
  try {
    parse_version_policy(ConfigDoc::parse("p.json", text));
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

// The one diagnostic at `path`, or a failure.
Diagnostic at(const std::vector<Diagnostic>& d, const std::string& path) {
  for (const auto& x : d)
    if (x.path == path) return x;
  ADD_FAILURE() << "no diagnostic at " << path;
  return {};
}

KnownFix fix(std::vector<std::string> fixed_in, std::string introduced = "") {
  KnownFix f;
  f.cve = "CVE-2026-0001";
  f.summary = "test flaw";
  f.fixed_in = std::move(fixed_in);
  f.introduced = std::move(introduced);
  f.sources = {"https://www.cve.org/CVERecord?id=CVE-2026-0001"};
  return f;
}

TEST(VersionPolicy, BadEntriesAreLocatedAndSayWhatToWrite) {
  const std::string text = R"({
  "vantage_routeros_versions": 1,
  "minimum": "seven",
  "fixed": [
    {"cve": "CVE-23-1", "summary": "x", "fixed_in": ["7.12"], "source": "https://a.example/"},
    {"cve": "CVE-2023-0002", "summary": "x", "fixed_in": ["7.23.4", "7.23.5"],
     "source": "http://a.example/"},
    {"cve": "CVE-2023-0003", "summary": "x", "fixed-in": ["7.1"], "source": "https://a.example/"},
    {"cve": "CVE-2023-0004", "summary": "x", "fixed_in": ["7.x"], "confidence": "sure",
     "source": []},
    {"cve": "CVE-2023-0005", "summary": "x", "fixed_in": "7.12", "source": "https://a.example/"},
    {"cve": "CVE-2023-0005", "summary": "y", "fixed_in": "7.13", "source": "https://b.example/"}
  ]
})";
  const auto d = problems(text);
  auto m = at(d, "minimum");
  EXPECT_EQ(m.file, "p.json");
  EXPECT_EQ(m.line, 3);
  EXPECT_THAT(m.message, HasSubstr("not a RouterOS version; write e.g. \"7.24.5\""));
  auto cve = at(d, "fixed[0].cve");
  EXPECT_EQ(cve.line, 5);
  EXPECT_THAT(cve.message, HasSubstr("write e.g. \"CVE-2023-41570\""));
  auto train = at(d, "fixed[1].fixed_in[1]");
  EXPECT_EQ(train.line, 6);
  EXPECT_THAT(train.message, HasSubstr("both on train 7.23: give one fixed release per train"));
  EXPECT_THAT(at(d, "fixed[1].source").message, HasSubstr("not an https URL"));
  EXPECT_THAT(at(d, "fixed[2].fixed-in").message, HasSubstr("did you mean \"fixed_in\"?"));
  EXPECT_THAT(at(d, "fixed[2].fixed_in").message, HasSubstr("missing required key"));
  EXPECT_THAT(at(d, "fixed[3].fixed_in[0]").message, HasSubstr("write e.g. \"7.23.4\""));
  EXPECT_THAT(at(d, "fixed[3].confidence").message, HasSubstr("write high, medium or low"));
  EXPECT_THAT(at(d, "fixed[3].source").message, HasSubstr("cite the CVE record"));
  EXPECT_THAT(at(d, "fixed[5].cve").message,
              HasSubstr("CVE-2023-0005 is listed twice (also fixed[4])"));
  EXPECT_EQ(d.size(), 10u);
}

TEST(VersionPolicy, TheFormatIsChecked) {
  EXPECT_THAT(at(problems(R"({"minimum": "7.24.5"})"), "vantage_routeros_versions").message,
              HasSubstr("missing required key"));
  EXPECT_THAT(at(problems(R"({"vantage_routeros_versions": 1})"), "(top level)").message,
              HasSubstr("neither \"minimum\" nor \"fixed\""));
  EXPECT_THAT(at(problems(R"({"vantage_routeros_versions": 1, "fixed": {}})"), "fixed").message,
              HasSubstr("expected a list of {\"cve\""));
  EXPECT_TRUE(problems(R"({"vantage_routeros_versions": 1, "minimum": "7.24.5"})").empty());
}

TEST(VersionPolicy, EachTrainIsHeldAgainstItsOwnFix) {
  const auto f = fix({"6.49.21", "7.23.4", "7.24.2"});
  // On a listed train: below, at and above its fix.
  EXPECT_EQ(needed_fix(f, "6.49.20"), "6.49.21");
  EXPECT_EQ(needed_fix(f, "6.49.21"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "6.49.22 (long-term)"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "7.23.3"), "7.23.4");
  EXPECT_EQ(needed_fix(f, "7.23.4"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "7.23.5"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "7.24.1 (stable)"), "7.24.2");
  EXPECT_EQ(needed_fix(f, "7.24rc3"), "7.24.2");
  EXPECT_EQ(needed_fix(f, "7.24.2"), std::nullopt);
  // An unlisted train older than a listed one: affected, the next train's fix.
  EXPECT_EQ(needed_fix(f, "6.48.6"), "6.49.21");
  EXPECT_EQ(needed_fix(f, "7.22.9"), "7.23.4");
  EXPECT_EQ(needed_fix(f, "7.1"), "7.23.4");
  // A train newer than every listed one: fixed.
  EXPECT_EQ(needed_fix(f, "7.25"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "7.25rc1"), std::nullopt);
  EXPECT_EQ(needed_fix(f, "8.1"), std::nullopt);
}

TEST(VersionPolicy, OneTrainOnlyAndIntroduced) {
  // Fixed only in 7: every 6.x is on an older train, so affected.
  EXPECT_EQ(needed_fix(fix({"7.24"}), "6.49.21"), "7.24");
  // Fixed only in 6: 7 is a newer train.
  EXPECT_EQ(needed_fix(fix({"6.49.7"}), "6.48.6"), "6.49.7");
  EXPECT_EQ(needed_fix(fix({"6.49.7"}), "7.1"), std::nullopt);
  // Below "introduced" the flaw does not exist.
  const auto rest = fix({"7.12"}, "7.1beta4");
  EXPECT_EQ(needed_fix(rest, "6.49.21"), std::nullopt);
  EXPECT_EQ(needed_fix(rest, "7.1beta3"), std::nullopt);
  EXPECT_EQ(needed_fix(rest, "7.1beta4"), "7.12");
  EXPECT_EQ(needed_fix(rest, "7.11.2"), "7.12");
  EXPECT_EQ(needed_fix(rest, "7.12"), std::nullopt);
  EXPECT_EQ(needed_fix(rest, "seven"), std::nullopt);  // unparsable: the judge reports it
}

RouterState at_version(const std::string& v) {
  RouterState st;
  st.menus["/system/resource"] = Menu{{{{"version", v}}}, true};
  return st;
}

std::vector<Finding> failing(std::vector<Finding> f) {
  std::erase_if(f, [](const Finding& x) { return x.info; });
  return f;
}

TEST(VersionPolicy, TheJudgeFailsOncePerMissingFix) {
  RouterosStateSpec s;
  s.known_fixes = {fix({"6.49.21", "7.23.4", "7.24.2"}), fix({"7.12"}, "7.1beta4")};
  s.known_fixes[1].cve = "CVE-2023-41570";
  s.known_fixes[1].summary = "REST API ignores allowed addresses";
  s.known_fixes[1].confidence = "medium";
  auto f = failing(judge_version(s, at_version("7.11.2 (stable)")));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, "known vulnerability");
  EXPECT_EQ(f[0].item, "CVE-2026-0001");
  EXPECT_THAT(f[0].text, HasSubstr("RouterOS 7.11.2 (stable) has CVE-2026-0001 (fixed in 7.23.4)"));
  EXPECT_THAT(f[0].text, HasSubstr("test flaw"));
  EXPECT_THAT(f[0].text, HasSubstr("source: https://www.cve.org/CVERecord?id=CVE-2026-0001"));
  EXPECT_THAT(f[0].fix, HasSubstr("/system package update install"));
  EXPECT_THAT(f[1].text, HasSubstr("CVE-2023-41570 (fixed in 7.12): REST API ignores"));
  EXPECT_THAT(f[1].text, HasSubstr("confidence medium"));
  EXPECT_EQ(failing(judge_version(s, at_version("7.23.4"))).size(), 0u);
  EXPECT_EQ(failing(judge_version(s, at_version("7.24.1"))).size(), 1u);
  // A version that does not parse cannot be held against the fixes: it fails.
  f = failing(judge_version(s, at_version("unknown")));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "unparsable version");
}

TEST(VersionPolicy, TheShippedPolicyParsesAndItsMinimumHasEveryFix) {
  const auto p = load_version_policy(kSource / "policies" / "routeros-versions.json");
  ASSERT_FALSE(p.minimum.empty());
  ASSERT_GE(p.fixed.size(), 5u);
  for (const auto& k : p.fixed) {
    SCOPED_TRACE(k.cve);
    EXPECT_THAT(k.cve, ::testing::StartsWith("CVE-"));
    EXPECT_FALSE(k.summary.empty());
    EXPECT_FALSE(k.fixed_in.empty());
    EXPECT_FALSE(k.sources.empty());
    EXPECT_FALSE(k.confidence.empty());
    for (const auto& src : k.sources) EXPECT_THAT(src, ::testing::StartsWith("https://"));
    // The floor is defensible: a router at the minimum lacks none of the fixes.
    EXPECT_EQ(needed_fix(k, p.minimum), std::nullopt);
  }
}

TEST(VersionPolicy, ACheckNamesTheShippedPolicyRelativeToItsScenario) {
  const std::string check = R"({"expect": "version", "tls": true,
    "login": {"user": "audit", "password_env": "P"},
    "version_policy": "../policies/routeros-versions.json"})";
  auto p = testing::parse_check("routeros-state", check, kSource / "scenarios");
  ASSERT_TRUE(p.ok()) << p.errors();
  const auto& s = static_cast<const RouterosStateSpec&>(*p.spec);
  EXPECT_EQ(s.min_version,
            load_version_policy(kSource / "policies/routeros-versions.json").minimum);
  EXPECT_FALSE(s.known_fixes.empty());
  // The check's own minimum wins over the policy's; the fixes still apply.
  auto q = testing::parse_check(
      "routeros-state",
      R"({"expect": "version", "tls": true, "login": {"user": "audit", "password_env": "P"},
          "min_version": "7.16", "version_policy": "../policies/routeros-versions.json"})",
      kSource / "scenarios");
  ASSERT_TRUE(q.ok()) << q.errors();
  EXPECT_EQ(static_cast<const RouterosStateSpec&>(*q.spec).min_version, "7.16");
  EXPECT_FALSE(static_cast<const RouterosStateSpec&>(*q.spec).known_fixes.empty());
}

TEST(VersionPolicy, ABadPolicyFileIsAnErrorAtTheCheckNamingTheFilesLine) {
  const auto dir = std::filesystem::temp_directory_path() / "vantage-version-policy-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "bad.json");
    out << "{\n  \"vantage_routeros_versions\": 1,\n  \"minimum\": \"7.x\"\n}\n";
  }
  const std::string login = R"("tls": true, "login": {"user": "audit", "password_env": "P"})";
  auto p = testing::parse_check(
      "routeros-state", R"({"expect": "version", "version_policy": "bad.json", )" + login + "}",
      dir);
  EXPECT_TRUE(p.has_error("version_policy", (dir / "bad.json").string() + ":3:")) << p.errors();
  EXPECT_TRUE(p.has_error("version_policy", "write e.g. \"7.24.5\"")) << p.errors();
  auto missing = testing::parse_check(
      "routeros-state", R"({"expect": "version", "version_policy": "none.json", )" + login + "}",
      dir);
  EXPECT_TRUE(missing.has_error("version_policy", "policies/routeros-versions.json"))
      << missing.errors();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vantage::probes
