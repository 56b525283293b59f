// The lab's RouterOS API session, server side: the bytes a client sends, cut
// in fuzzer-chosen pieces, into one ApiSession over a fixed model (users with
// and without the api policy, so logins can succeed and commands run).
#include <cstdlib>
#include <vector>

#include "fuzz_support.hpp"
#include "lab/api_session.hpp"
#include "lab/config.hpp"
#include "lab/model.hpp"

using namespace vantage;

namespace {
lab::LabConfig config() {
  lab::LabConfig c;
  c.identity = "fuzz-rtr";
  c.listen = {"127.0.0.1"};
  c.groups = lab::builtin_groups();
  c.groups["audit"] = {"read", "api", "rest-api"};
  c.users = {
      lab::User{"admin", "full", "secret", {}, false},
      lab::User{"audit", "audit", "a", {}, false},
      lab::User{"", "full", "", {}, false},
  };
  lab::Service api;
  api.name = "api";
  api.port = 0;
  c.services["api"] = api;
  return c;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  lab::RouterModel model(config());
  lab::ApiSession session(model, "api", "192.0.2.10");
  std::vector<std::uint8_t> out;
  while (!in.empty()) {
    session.feed(in.take(1 + in.byte()));
    lab::ApiSession::Step st;
    int steps = 0;
    while ((st = session.step(out)) == lab::ApiSession::Step::kProgress)
      if (++steps > 100000) std::abort();  // step() must consume
    session.take_pushed(out);
    if (st == lab::ApiSession::Step::kClose) {
      if (session.close_reason().empty()) std::abort();
      break;
    }
    if (out.size() > (64u << 20)) break;
    out.clear();
  }
  return 0;
}
