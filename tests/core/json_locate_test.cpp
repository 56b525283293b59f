// JsonPath printing and locate(): how a diagnostic finds its line:column in a
// JSON document with comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/json_config.hpp"
#include "core/json_locator.hpp"

using namespace vantage;

namespace {

using LineCol = std::pair<int, int>;

// Comments that mention keys, a string value with an escaped quote and
// brackets, and a comment holding a closing bracket: locate() must step over
// all of them.
const char* kDoc = R"({
  // "checks": not this one
  "name": "a \"quoted\" {brace} [x]",
  "checks": [
    { "id": "one" },
    /* a comment, ] */ { "id": "two", "expect": { "accept": ["TLSv1.2"] } }
  ]
})";

}  // namespace

TEST(JsonPath, PrintsKeysDottedAndIndexesBracketed) {
  EXPECT_EQ((JsonPath() / "checks" / 2 / "expect" / "accept").str(), "checks[2].expect.accept");
  EXPECT_EQ((JsonPath() / 0 / "id").str(), "[0].id");
  EXPECT_EQ((JsonPath() / "targets" / 1 / 0).str(), "targets[1][0]");
}

TEST(JsonPath, TheEmptyPathIsTheTopLevel) {
  EXPECT_EQ(JsonPath().str(), "(top level)");
  EXPECT_TRUE(JsonPath().parts().empty());
}

TEST(JsonPath, AppendingLeavesTheOriginalAlone) {
  const JsonPath base = JsonPath() / "checks";
  const JsonPath child = base / 3;
  EXPECT_EQ(base.str(), "checks");
  ASSERT_EQ(child.parts().size(), 2u);
  EXPECT_EQ(std::get<std::size_t>(child.parts()[1]), 3u);
}

TEST(Locate, FindsAKeyAndSkipsCommentsAndStrings) {
  EXPECT_EQ(locate(kDoc, JsonPath() / "name"), LineCol(3, 3));
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks"), LineCol(4, 3));
}

TEST(Locate, FindsArrayElementsAndNestedKeys) {
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 0), LineCol(5, 5));
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 1), LineCol(6, 24));
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 1 / "expect"), LineCol(6, 39));
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 1 / "expect" / "accept" / 0), LineCol(6, 62));
}

TEST(Locate, AMissingPathPointsAtTheClosestEnclosingPlace) {
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 5), LineCol(4, 3));
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / 0 / "expect"), LineCol(5, 5));
  EXPECT_EQ(locate(kDoc, JsonPath() / "nope"), LineCol(1, 1));
  // A key where a list is, or an index where an object is.
  EXPECT_EQ(locate(kDoc, JsonPath() / "checks" / "id"), LineCol(4, 3));
  EXPECT_EQ(locate(kDoc, JsonPath() / 0), LineCol(1, 1));
}

TEST(Locate, TheTopLevelIsAfterLeadingComments) {
  EXPECT_EQ(locate("// header\n/* more */ {\"a\": 1}", JsonPath()), LineCol(2, 12));
  EXPECT_EQ(locate("", JsonPath() / "a"), LineCol(1, 1));
}

// fuzz/json_locate found these: an unterminated string or list left the
// scanner past the end of the text, and locate() threw std::out_of_range.
TEST(Locate, CutShortDocumentsStayInsideTheText) {
  EXPECT_EQ(locate("{\"a\": \"x", JsonPath() / "b"), LineCol(1, 1));
  EXPECT_EQ(locate("{\"a\": [1, {\"c\"", JsonPath() / "b"), LineCol(1, 1));
  EXPECT_EQ(locate("{\"a\": \"x\\", JsonPath() / "b" / 0), LineCol(1, 1));
  EXPECT_EQ(locate("[\"x", JsonPath() / 1), LineCol(1, 4));  // the end of the text
}

// A stray closing bracket where a value belongs: the scanner steps over it
// instead of spinning (fuzz/json_locate found the loop).
TEST(Locate, StrayBracketsNeverStopTheScanner) {
  EXPECT_EQ(locate("[}", JsonPath() / 5), LineCol(1, 3));  // the end of the text
  EXPECT_EQ(locate("{\"a\": [}, \"b\": 1}", JsonPath() / "b"), LineCol(1, 1));
  EXPECT_EQ(locate("{\"a\": ]", JsonPath() / "b"), LineCol(1, 1));
}

// A number beyond a double is a located ConfigError, not an escaped
// nlohmann::out_of_range (fuzz/config_policy and config_lab found it).
TEST(ConfigDocParse, ANumberOutOfRangeIsALocatedError) {
  try {
    (void)ConfigDoc::parse("p.json", "{\n  \"a\": 1e999\n}");
    FAIL() << "1e999 was accepted";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const Diagnostic& d = e.diagnostics().front();
    EXPECT_EQ(d.line, 2);
    EXPECT_EQ(d.column, 8);
    EXPECT_NE(d.message.find("1e999"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("within range"), std::string::npos) << d.message;
  }
}

TEST(Locate, DiagnosticsCarryThePosition) {
  const ConfigDoc doc = ConfigDoc::parse("s.json", kDoc);
  const Diagnostic d = doc.diagnostic(JsonPath() / "checks" / 1 / "expect", "bad");
  EXPECT_EQ(d.to_string(), "s.json:6:39: checks[1].expect: bad");
}

namespace {

// Every path in `v`, each member's key and each element's index, plus a
// missing key and an index past the end at every level.
void paths_of(const json& v, const JsonPath& here, std::vector<JsonPath>& out) {
  out.push_back(here);
  out.push_back(here / "no-such-key");
  out.push_back(here / std::size_t{999});
  if (v.is_object())
    for (const auto& [k, child] : v.items()) paths_of(child, here / k, out);
  if (v.is_array())
    for (std::size_t i = 0; i < v.size(); ++i) paths_of(v[i], here / i, out);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

// One JsonLocator answers every path of a document exactly as locate() does,
// in any order: well-formed documents (the shipped scenarios, duplicate keys,
// escaped keys) and text nlohmann refuses (cut short, stray brackets).
TEST(JsonLocator, AnswersEveryPathAsLocateDoes) {
  std::vector<std::string> texts = {
      kDoc,
      R"({"a": 1, "a": {"b": [1, 2]}, "c\"d": 3, "e": [[], {}, [[7]]]})",
      "{\"a\": \"x",
      "{\"a\": [1, {\"c\"",
      "[\"x",
      "[}",
      "{\"a\": [}, \"b\": 1}",
      "\n\n  [1,\n 2, /* ] */ 3",
  };
  for (const char* f : {"routeros-api-hardening.json", "routeros-router-state.json",
                        "examples-tcp-reachability.json"})
    texts.push_back(read_text(std::string(VANTAGE_SOURCE_DIR) + "/scenarios/" + f));
  for (const auto& text : texts) {
    std::vector<JsonPath> paths;
    const json v = json::parse(text, nullptr, false, true);
    paths_of(v.is_discarded() ? json::object({{"a", json::array({1, 2})}, {"b", 1}}) : v,
             JsonPath(), paths);
    for (int round = 0; round < 2; ++round) {
      JsonLocator many;
      for (const auto& p : paths) EXPECT_EQ(many.locate(text, p), locate(text, p)) << p.str();
      std::reverse(paths.begin(), paths.end());
    }
  }
}
