#pragma once
// Text that came from the network, made safe to keep and to show.
//
// RouterOS speaks Windows-1252, not UTF-8 (a user "Jörg" is the bytes
// 4A F6 72 67 on the wire), and a hostile peer can send any bytes at all.
// Reports are JSON/XML (which must be valid UTF-8) and consoles are
// terminals (where an ESC sequence is a command). These two functions are
// the one place each of those conversions is made.
#include <string>
#include <string_view>

namespace vantage {

// Whether `in` is well-formed UTF-8 (no overlong forms, surrogates or
// values above U+10FFFF).
bool is_utf8(std::string_view in);

// Valid UTF-8 that loses nothing: `in` unchanged when it is already UTF-8,
// otherwise every byte read as Windows-1252 (RouterOS's encoding; the five
// bytes cp1252 leaves undefined become the C1 code points of the same value).
// Control characters are kept: terminal_safe() is for display.
std::string network_text(std::string_view in);

// One printable line for a terminal: network_text(), then C0/C1 controls and
// DEL shown as \xNN / \u00NN, line breaks and tabs folded to spaces.
std::string terminal_safe(std::string_view in);

}  // namespace vantage
