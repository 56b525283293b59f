// core/text: network text kept as valid UTF-8 without loss (RouterOS speaks
// Windows-1252), and made safe for a terminal.
#include <gtest/gtest.h>

#include "core/text.hpp"

namespace vantage {
namespace {

TEST(NetworkText, Utf8IsKept) {
  EXPECT_EQ(network_text("J\xC3\xB6rg"), "J\xC3\xB6rg");
  EXPECT_EQ(network_text("plain"), "plain");
  EXPECT_TRUE(is_utf8("\xF0\x9F\x94\x92"));
}

TEST(NetworkText, Cp1252IsDecoded) {
  EXPECT_EQ(network_text("J\xF6rg"), "J\xC3\xB6rg");                            // ö
  EXPECT_EQ(network_text("\x80 \x9F \xFF"), "\xE2\x82\xAC \xC5\xB8 \xC3\xBF");  // € Ÿ ÿ
  EXPECT_EQ(network_text("\x81"), "\xC2\x81");  // undefined in cp1252: the C1 code point
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF8\x88\x80\x80\x80"}) {
    EXPECT_FALSE(is_utf8(bad)) << bad;
    EXPECT_TRUE(is_utf8(network_text(bad))) << bad;
  }
}

TEST(NetworkText, TerminalSafeShowsControlsAsEscapes) {
  EXPECT_EQ(terminal_safe("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(terminal_safe("x\r\ny\tz"), "x  y z");
  EXPECT_EQ(terminal_safe("\xC2\x9B"
                          "31m"),
            "\\u009b31m");
  EXPECT_EQ(terminal_safe("J\xF6rg \x9B"), "J\xC3\xB6rg \xE2\x80\xBA");  // cp1252 0x9B is ›
}

}  // namespace
}  // namespace vantage
