// The one redaction function: every encoding of a secret that a peer could
// echo is masked, and truncation never leaves the start of a secret behind.
#include "core/redact.hpp"

#include <gtest/gtest.h>

namespace vantage {
namespace {

const std::string kUser = "audit";
const std::string kPw = "p@ss word/+=\"x";

Redactor creds() {
  Redactor r;
  r.add_credentials(kUser, kPw);
  return r;
}

TEST(Redact, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Redact, PercentEncodingBothStyles) {
  EXPECT_EQ(percent_encode("a b/c", false), "a%20b%2Fc");
  EXPECT_EQ(percent_encode("a b/c", true), "a+b%2Fc");
  EXPECT_EQ(percent_encode("a/", false, true), "a%2f");
}

TEST(Redact, EveryEncodingIsMasked) {
  const Redactor r = creds();
  const std::vector<std::string> leaks = {
      kPw,
      base64_encode(kUser + ":" + kPw),
      base64_encode(kPw),
      percent_encode(kPw, false),
      percent_encode(kPw, true),
      percent_encode(kPw, false, true),
      "p@ss word/+=\\\"x",  // JSON-escaped, as echoed inside a JSON body
  };
  for (const auto& leak : leaks) {
    const std::string out = r.redact("before " + leak + " after");
    EXPECT_EQ(out, "before <redacted> after") << leak;
  }
  // In an echoed header and twice in one string.
  const std::string header = "Authorization: Basic " + base64_encode(kUser + ":" + kPw);
  EXPECT_EQ(r.redact(header), "Authorization: Basic <redacted>");
  EXPECT_EQ(r.redact(kPw + kPw), "<redacted>");
}

TEST(Redact, TruncatesFirstThenMasksAPartialSecretAtTheCut) {
  const Redactor r = creds();
  const std::string text = std::string(10, 'a') + kPw + std::string(10, 'b');
  // The cut falls 5 bytes into the password.
  const std::string out = r.redact(text, 15);
  EXPECT_EQ(out.find("p@ss"), std::string::npos) << out;
  EXPECT_EQ(out, std::string(10, 'a') + "<redacted>...(" + std::to_string(text.size()) + " bytes)");
  // A whole secret before the cut is masked and the tail kept.
  EXPECT_EQ(r.redact("x" + kPw + "yyyy", 1 + kPw.size() + 2),
            "x<redacted>yy...(" + std::to_string(kPw.size() + 5) + " bytes)");
  // Base64 of the pair cut in half.
  const std::string b = "Basic " + base64_encode(kUser + ":" + kPw);
  const std::string half = r.redact(b, 12);
  EXPECT_EQ(half.rfind("Basic <redacted>", 0), 0u) << half;
}

TEST(Redact, ShortSecretNeverCorruptsTheMask) {
  Redactor r;
  r.add_password("a");
  EXPECT_EQ(r.redact("banana"), "b<redacted>n<redacted>n<redacted>");
  EXPECT_EQ(r.redact("aaa"), "<redacted>");
}

TEST(Redact, NothingToMaskLeavesTextAlone) {
  Redactor r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.redact("hello"), "hello");
  EXPECT_EQ(r.redact("hello", 2), "he...(5 bytes)");
  r.add_password("");
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace vantage
