#include "probes/rest/http_client.hpp"

#include <strings.h>

#include <array>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace vantage::probes {

namespace http = boost::beast::http;

const char* to_string(HttpResponse::State s) {
  switch (s) {
    case HttpResponse::State::kResponse: return "response";
    case HttpResponse::State::kNoResponse: return "no response";
    case HttpResponse::State::kNotHttp: return "not HTTP";
    case HttpResponse::State::kTooLarge: return "too large";
    case HttpResponse::State::kIncomplete: return "incomplete";
  }
  return "?";
}

std::string HttpRequest::serialize() const {
  std::string s = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [k, v] : fields) s += k + ": " + v + "\r\n";
  s += "Connection: close\r\n\r\n";
  return s;
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return "";
}

namespace {

void take_message(http::response_parser<http::string_body>& p, HttpResponse& out) {
  auto& m = p.get();
  out.status = static_cast<int>(m.result_int());
  out.reason = std::string(m.reason());
  for (const auto& f : m) {
    if (out.headers.size() >= 100) break;
    out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  out.body = m.body();
}

}  // namespace

HttpResponse http_exchange(net::Stream& stream, const HttpRequest& req, const HttpLimits& limits,
                           Deadline dl) {
  HttpResponse out;
  const std::string wire = req.serialize();
  net::IoResult w =
      stream.write_all(std::span<const std::uint8_t>(
                           reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()),
                       dl);
  if (!w.ok()) {
    out.state = HttpResponse::State::kNoResponse;
    out.io_end = w.status;
    out.detail = std::string("sending the request failed: ") + net::to_string(w.status);
    return out;
  }
  http::response_parser<http::string_body> p;
  p.header_limit(static_cast<std::uint32_t>(limits.max_header));
  p.body_limit(limits.max_body);
  // Not eager: Boost 1.74's eager parse goes on into the body after the
  // header's Content-Length failed body_limit, and the body then reserves
  // that length (found by fuzzing, rest_http_response: 3.4e18 bytes). Each
  // put() then parses one element and its error is seen below.
  p.eager(false);
  std::string pending;
  std::array<std::uint8_t, 8192> buf;
  auto fail = [&](const boost::system::error_code& ec) {
    if (ec == http::error::header_limit || ec == http::error::body_limit ||
        ec == http::error::buffer_overflow) {
      out.state = HttpResponse::State::kTooLarge;
      out.detail = "response over the limits (header " + std::to_string(limits.max_header) +
                   " bytes, body " + std::to_string(limits.max_body) + " bytes): " + ec.message();
    } else if (!p.is_header_done()) {
      out.state = HttpResponse::State::kNotHttp;
      out.detail = "not an HTTP response: " + ec.message();
    } else {
      out.state = HttpResponse::State::kIncomplete;
      out.detail = "malformed HTTP body: " + ec.message();
    }
  };
  while (!p.is_done()) {
    net::IoResult r = stream.read_some(buf, dl);
    if (!r.ok()) {
      if (out.bytes_received == 0) {
        out.state = HttpResponse::State::kNoResponse;
        out.io_end = r.status;
        out.detail = std::string("no response: ") + net::to_string(r.status);
        return out;
      }
      if (r.status == net::IoResult::Status::kEof) {
        boost::system::error_code ec;
        p.put_eof(ec);
        if (!ec && p.is_done()) break;
        if (ec && ec != http::error::partial_message) {
          fail(ec);
          return out;
        }
      }
      out.state = p.is_header_done() || out.bytes_received > 0 ? HttpResponse::State::kIncomplete
                                                               : HttpResponse::State::kNoResponse;
      out.io_end = r.status;
      out.detail = "the response broke off after " + std::to_string(out.bytes_received) +
                   " bytes: " + net::to_string(r.status);
      // A peer that sends a non-HTTP line and stops is not HTTP.
      if (!p.is_header_done() && pending.size() >= 5 && pending.rfind("HTTP/", 0) != 0) {
        out.state = HttpResponse::State::kNotHttp;
        out.detail = "not an HTTP response (it does not start with HTTP/)";
      }
      return out;
    }
    out.bytes_received += r.bytes;
    pending.append(reinterpret_cast<const char*>(buf.data()), r.bytes);
    if (pending.size() > limits.max_header + limits.max_body + 8192) {
      out.state = HttpResponse::State::kTooLarge;
      out.detail = "response over the limits";
      return out;
    }
    while (!pending.empty() && !p.is_done()) {
      boost::system::error_code ec;
      std::size_t n = p.put(boost::asio::buffer(pending.data(), pending.size()), ec);
      pending.erase(0, n);
      if (ec == http::error::need_more) break;
      if (ec) {
        fail(ec);
        return out;
      }
      if (n == 0) break;
    }
  }
  out.state = HttpResponse::State::kResponse;
  take_message(p, out);
  return out;
}

}  // namespace vantage::probes
