#pragma once
// The RouterOS v7 REST API (/rest/<menu path>) on the lab's www and www-ssl
// services, independent of the HTTP transport.
//
//   GET  /rest/system/identity        -> print: an object (singleton menus) or an array
//   GET  /rest/user?group=full        -> print with an equality filter per query parameter
//   GET  /rest/user/*1                -> one item by .id
//   POST /rest/system/identity/set    -> any command, arguments as a JSON object
//        {"name": "x", ".proplist": "name,group", ".query": ["group=full", "#|"]}
// Basic auth with the API's users; the group needs the rest-api policy. Every
// JSON value is a string. Errors are {"error":<code>,"message":"...","detail":"..."},
// e.g. {"error":401,"message":"Unauthorized"}.
// On plain www, /rest is served only while webserver rest-plain is on (7.21+).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lab/model.hpp"

namespace vantage::lab {

struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string target;         // "/rest/user?name=admin"
  std::string authorization;  // the Authorization header, or empty
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

HttpResponse handle_http(RouterModel& model, const Service& svc, std::string_view peer,
                         const HttpRequest& req);

// "Basic dXNlcjpwdw==" -> {"user", "pw"}; nullopt when not Basic or malformed.
std::optional<std::pair<std::string, std::string>> parse_basic_auth(std::string_view header);

}  // namespace vantage::lab
