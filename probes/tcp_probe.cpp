#include "probes/tcp_probe.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "net/sockaddr.hpp"
#include "net/vantage_connect.hpp"

namespace vantage::probes {

namespace {
const std::vector<std::string>& expect_words() {
  static const std::vector<std::string> words = [] {
    auto w = net::tcp_outcome_names();
    w.push_back("not-open");
    return w;
  }();
  return words;
}

}  // namespace

bool parse_outcomes(const json& v, const JsonPath& path, Diagnostics& diags,
                    std::vector<net::TcpOutcome>& out) {
  auto one = [&](const json& item, const JsonPath& p) {
    if (!item.is_string()) {
      diags.error(p, "expected an outcome name, found " + type_name(item));
      return false;
    }
    const auto s = item.get<std::string>();
    if (s == "not-open") {
      for (auto o : {net::TcpOutcome::kClosed, net::TcpOutcome::kFiltered,
                     net::TcpOutcome::kUnreachable, net::TcpOutcome::kServiceRefused})
        out.push_back(o);
      return true;
    }
    if (auto o = net::tcp_outcome_from(s)) {
      out.push_back(*o);
      return true;
    }
    std::string msg = "unknown outcome \"" + s + "\"";
    if (auto m = did_you_mean(s, expect_words())) msg += "; did you mean \"" + *m + "\"?";
    msg += " Valid outcomes: open, closed, filtered, unreachable, service-refused, not-open";
    diags.error(p, msg);
    return false;
  };
  if (v.is_array()) {
    if (v.empty()) {
      diags.error(path, "the list of outcomes is empty; name at least one outcome");
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) ok = one(v[i], path / i) && ok;
    return ok;
  }
  return one(v, path);
}

json TcpProbe::schema() const {
  json outcome = {{"enum", expect_words()}};
  return {
      {"expect",
       {{"description", "expected outcome: one name, a list (any passes), or not-open"},
        {"oneOf",
         json::array({outcome, {{"type", "array"}, {"items", outcome}, {"minItems", 1}}})}}},
      {"settle_ms",
       {{"type", "integer"},
        {"minimum", 0},
        {"maximum", 10000},
        {"description",
         "after the handshake, wait at least this long for a close or reset (service-refused); the "
         "window grows with the link's RTT; 0 disables"}}},
  };
}

std::unique_ptr<CheckSpec> TcpProbe::parse(const json& check, const JsonPath& path,
                                           Diagnostics& diags, const ParseEnv&) const {
  auto spec = std::make_unique<TcpSpec>();
  auto it = check.find("expect");
  if (it == check.end()) {
    diags.error(
        path / "expect",
        "missing \"expect\": name the outcome, e.g. \"open\", \"filtered\" or \"not-open\"");
  } else {
    parse_outcomes(*it, path / "expect", diags, spec->accept);
    spec->expect_text =
        it->is_array() ? it->dump() : (it->is_string() ? it->get<std::string>() : "");
    if (it->is_array()) {
      std::string t;
      for (const auto& x : *it)
        t += (t.empty() ? "" : " or ") + (x.is_string() ? x.get<std::string>() : "?");
      spec->expect_text = t;
    }
  }
  if (auto s = get_int(check, path, "settle_ms", diags, 0, 10000))
    spec->settle = std::chrono::milliseconds(*s);
  return spec;
}

json TcpObservation::evidence() const {
  json a = json::array();
  for (const auto& at : attempts) {
    // An attempt that saw nothing from the network has no outcome.
    json j = {{"outcome", at.error.empty() ? net::to_string(at.outcome) : "error"},
              {"rtt_ms", std::round(at.rtt_ms * 1000) / 1000},
              {"budget_ms", std::round(at.budget_ms)},
              {"local", at.local}};
    if (!at.error.empty()) j["cause"] = at.error;
    if (!at.note.empty()) j["note"] = at.note;
    if (at.err != 0) {
      j["errno"] = at.err;
      j["error"] = std::strerror(at.err);
    }
    if (at.icmp) {
      j["icmp"] = {{"origin", at.icmp->origin},
                   {"type", at.icmp->type},
                   {"code", at.icmp->code},
                   {"from", at.icmp->from},
                   {"local", at.icmp->local}};
    }
    a.push_back(j);
  }
  return {{"outcome", error.empty() ? net::to_string(outcome) : "error"},
          {"remote", remote},
          {"local_address", local_address},
          {"attempts", a}};
}

std::unique_ptr<Observation> TcpProbe::observe(const ProbeContext& ctx) const {
  auto obs = std::make_unique<TcpObservation>();
  const auto& spec = static_cast<const TcpSpec&>(ctx.spec);
  auto dst = ctx.destination(ctx.check.port, *obs);
  if (!dst) return obs;
  obs->remote = dst->to_string();
  net::VantageOptions opt;
  opt.tcp.attempts = ctx.check.attempts;
  opt.tcp.settle = spec.settle;
  auto c = ctx.connect(*dst, opt, ctx.deadline);
  const net::ConnectResult& r = c.tcp;
  obs->attempts = r.attempts;
  obs->outcome = r.outcome;
  obs->local_address = r.local_ip;
  if (!r.error.empty()) {
    obs->error = r.error;
    return obs;
  }
  if (!c.mismatch.empty()) {
    obs->error = c.mismatch;
    return obs;
  }
  obs->summary = std::string(net::to_string(r.outcome)) + " (" +
                 net::outcome_words(r, net::OutcomeWords::kProbeSummary) + ")";
  return obs;
}

Verdict TcpSpec::judge(const Observation& o) const {
  const auto& obs = static_cast<const TcpObservation&>(o);
  Verdict v;
  v.expected = expect_text;
  if (!obs.error.empty()) return results::unobserved(v.expected, "could not probe: " + obs.error);
  v.observed = net::to_string(obs.outcome);
  const bool ok = std::find(accept.begin(), accept.end(), obs.outcome) != accept.end();
  v.status = ok ? Status::kPass : Status::kFail;
  v.message = obs.remote + " is " + obs.summary;
  return v;
}

}  // namespace vantage::probes
