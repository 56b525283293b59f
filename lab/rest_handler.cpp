#include "lab/rest_handler.hpp"

#include <nlohmann/json.hpp>

#include "core/json_config.hpp"

namespace vantage::lab {

namespace {

using json = nlohmann::json;

const char* reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    default: return "Internal Server Error";
  }
}

HttpResponse error(int status, const std::string& detail = "") {
  json j = {{"error", status}, {"message", reason(status)}};
  if (!detail.empty()) j["detail"] = detail;
  HttpResponse r;
  r.status = status;
  r.body = j.dump();
  return r;
}

// What the webserver answers outside /rest: a WebFig-like page, not JSON.
HttpResponse html(int status, const std::string& identity) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html";
  r.body = status == 200 ? "<html><head><title>RouterOS router configuration page</title></head>"
                           "<body><h1>" +
                               identity + "</h1> RouterOS (vantage lab)</body></html>\n"
                         : "<html><head><title>Error 404: Not Found</title></head>"
                           "<body><h1>Error 404: Not Found</h1></body></html>\n";
  return r;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

json row_json(const Row& row) {
  json o = json::object();
  for (const auto& [k, v] : row) o[k] = v;
  return o;
}

std::string value_string(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

HttpResponse from_reply(const Reply& r, bool object) {
  if (!r.traps.empty()) {
    std::string detail;
    for (const auto& t : r.traps) detail += (detail.empty() ? "" : ", ") + t.message;
    return error(400, detail);
  }
  if (r.kind == Reply::Kind::kListen) return error(400, "listen is not available over REST");
  HttpResponse out;
  if (object && r.rows.size() == 1) {
    out.body = row_json(r.rows[0]).dump();
  } else {
    json arr = json::array();
    for (const auto& row : r.rows) arr.push_back(row_json(row));
    out.body = arr.dump();
  }
  return out;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_basic_auth(std::string_view header) {
  constexpr std::string_view kBasic = "Basic ";
  if (header.size() < kBasic.size()) return std::nullopt;
  for (std::size_t i = 0; i < kBasic.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kBasic[i])))
      return std::nullopt;
  header.remove_prefix(kBasic.size());
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int acc = 0;
  int bits = 0;
  for (char c : header) {
    if (c == '=') break;
    auto p = kAlphabet.find(c);
    if (p == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned int>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  auto colon = out.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(out.substr(0, colon), out.substr(colon + 1));
}

HttpResponse handle_http(RouterModel& model, const Service& svc, std::string_view peer,
                         const HttpRequest& req) {
  std::string_view target(req.target);
  std::string_view query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    query = target.substr(q + 1);
    target = target.substr(0, q);
  }
  const bool rest = target == "/rest" || target.starts_with("/rest/");
  if (!rest || (!svc.tls() && !model.config().rest_plain)) {
    return html(target == "/" || target == "/webfig/" ? 200 : 404, model.identity());
  }
  // Authentication first: RouterOS answers 401 before looking at the path.
  auto creds = parse_basic_auth(req.authorization);
  std::optional<Principal> who;
  if (creds) who = model.login(creds->first, creds->second, peer, svc.name, "rest-api");
  if (!who) {
    HttpResponse r = error(401);
    r.headers.push_back({"WWW-Authenticate", "Basic realm=\"" + model.identity() + "\""});
    return r;
  }
  std::string path = url_decode(target.substr(5));  // after "/rest"
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty() || path == "/") return error(400, "no such command or directory ()");

  if (req.method == "GET") {
    // A last segment starting with '*' is an item id.
    std::optional<std::string> id;
    if (auto slash = path.rfind('/');
        slash != std::string::npos && path.size() > slash + 1 && path[slash + 1] == '*') {
      id = path.substr(slash + 1);
      path = path.substr(0, slash);
    }
    Request r;
    r.command = path + "/print";
    std::size_t start = 0;
    while (start < query.size()) {
      auto amp = query.find('&', start);
      std::string_view kv = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
      auto eq = kv.find('=');
      std::string k = url_decode(kv.substr(0, eq));
      std::string v = eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1));
      if (k == ".proplist") {
        r.args.push_back({k, v});
      } else if (!k.empty()) {
        r.queries.push_back("?" + k + "=" + v);
      }
      if (amp == std::string_view::npos) break;
      start = amp + 1;
    }
    if (id) r.queries.push_back("?.id=" + *id);
    Reply rep = model.run(*who, r);
    if (id && rep.traps.empty() && rep.rows.empty()) return error(404, "no such item");
    return from_reply(rep, RouterModel::singleton(path) || id.has_value());
  }
  if (req.method == "POST") {
    Request r;
    r.command = path;
    if (!req.body.empty()) {
      json body = json_too_deep(req.body) ? json(json::value_t::discarded)
                                          : json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object())
        return error(400, "JSON body must be an object");
      for (const auto& [k, v] : body.items()) {
        if (k == ".query") {
          if (!v.is_array()) return error(400, ".query must be an array");
          for (const auto& q : v) r.queries.push_back("?" + value_string(q));
        } else if (k == ".proplist" && v.is_array()) {
          std::string list;
          for (const auto& p : v) list += (list.empty() ? "" : ",") + value_string(p);
          r.args.push_back({k, list});
        } else {
          r.args.push_back({k, value_string(v)});
        }
      }
    }
    return from_reply(model.run(*who, r), false);
  }
  if (req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE")
    return error(400, "the lab serves only GET (print) and POST (commands)");
  return error(405);
}

}  // namespace vantage::lab
