#include "routeros/sentence.hpp"

#include <gtest/gtest.h>

namespace vantage::routeros {
namespace {

std::vector<std::uint8_t> unhex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  std::string digits;
  for (char c : hex)
    if (c != ' ') digits += c;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(Sentence, LoginBytesFromFacts) {
  Sentence s{"/login", "=name=admin", "=password=secret"};
  EXPECT_EQ(s.encode(), unhex("06 2f6c6f67696e 0b 3d6e616d653d61646d696e 10 "
                              "3d70617373776f72643d736563726574 00"));
}

TEST(Sentence, NotLoggedInBytesFromFacts) {
  Sentence s{"!fatal", "not logged in"};
  EXPECT_EQ(s.encode(), unhex("06 21666174616c 0d 6e6f74206c6f6767656420696e 00"));
}

TEST(Sentence, Accessors) {
  Sentence s{"/ip/service/print", "=name=api", "=comment=a=b=c", "=empty=", "=bare", ".tag=7",
             "?name=api",         "?#|"};
  EXPECT_EQ(s.command(), "/ip/service/print");
  EXPECT_EQ(s.attr("name"), "api");
  EXPECT_EQ(s.attr("comment"), "a=b=c");
  EXPECT_EQ(s.attr("empty"), "");
  EXPECT_EQ(s.attr("bare"), "");
  EXPECT_EQ(s.attr("missing"), std::nullopt);
  EXPECT_EQ(s.tag(), "7");
  auto attrs = s.attrs();
  ASSERT_EQ(attrs.size(), 4u);
  EXPECT_EQ(attrs[1], (std::pair<std::string, std::string>{"comment", "a=b=c"}));
  EXPECT_EQ(s.queries(), (std::vector<std::string>{"?name=api", "?#|"}));
}

TEST(Sentence, CommandWordIsNotAnAttribute) {
  Sentence s{"=weird=1"};
  EXPECT_EQ(s.attr("weird"), std::nullopt);
  EXPECT_TRUE(s.attrs().empty());
  EXPECT_EQ(Sentence{}.command(), "");
  EXPECT_EQ(Sentence{}.tag(), std::nullopt);
}

TEST(Sentence, Builders) {
  Sentence s;
  s.add("!re").add_attr("name", "x=y").add_tag("t1");
  EXPECT_EQ(s.words, (std::vector<std::string>{"!re", "=name=x=y", ".tag=t1"}));
}

}  // namespace
}  // namespace vantage::routeros
