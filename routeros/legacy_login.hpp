#pragma once
// Pre-6.43 challenge login: the router answers a bare /login with
// "!done =ret=<32 hex>", and the client answers
//   /login =name=U =response=00<hex(MD5(0x00 || password || unhex(ret)))>
#include <optional>
#include <string>
#include <string_view>

namespace vantage::routeros {

// The "=response=" value for `password` and challenge `ret_hex`; nullopt when
// `ret_hex` is not valid hex.
std::optional<std::string> legacy_login_response(std::string_view password,
                                                 std::string_view ret_hex);

}  // namespace vantage::routeros
