// Judging a routeros-api observation: one message per verdict, in the
// operator's terms, naming the RouterOS setting that causes a failure.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "probes/routeros_api/routeros_api_probe.hpp"

namespace vantage::probes {

namespace {

struct Words {
  std::string svc;    // api | api-ssl
  std::string where;  // "plain API on 8728"
  std::string from;   // " from mgmt" or ""
};

Words words(const ApiObservation& o) {
  Words w;
  w.svc = o.tls ? "api-ssl" : "api";
  w.where = fmt::format("{} on {}", o.tls ? "API-SSL" : "plain API", o.port);
  w.from = o.source_name.empty() ? "" : " from " + o.source_name;
  return w;
}

std::string quoted(const std::string& s) {
  return "`" + s + "`";
}

std::string no_api_text(const ApiObservation& o) {
  const char* mode = restriction_mode(o.contact);
  if (std::string(mode) == "reset")
    return "the handshake completed, then the service reset the connection (" + o.contact_detail +
           ")";
  if (std::string(mode) == "close")
    return "the handshake completed, then the service closed the connection (" + o.contact_detail +
           ")";
  if (std::string(mode) == "silent")
    return "the handshake completed, then the service never answered (" + o.contact_detail + ")";
  return o.contact_detail;
}

Verdict make(Status s, std::string msg, std::string expected, std::string observed) {
  Verdict v;
  v.status = s;
  v.message = std::move(msg);
  v.expected = std::move(expected);
  v.observed = std::move(observed);
  return v;
}

}  // namespace

Verdict RouterosApiSpec::judge(const Observation& base) const {
  const auto& o = static_cast<const ApiObservation&>(base);
  const Words w = words(o);
  const std::string expected_text = expect_json.is_string() ? expect_word : expect_json.dump();
  std::string observed = o.access;
  if (o.access == "no-api" && *restriction_mode(o.contact))
    observed += std::string(" (") + restriction_mode(o.contact) + ")";
  if (o.access == "no-api" && !*restriction_mode(o.contact))
    observed += std::string(" (") + to_string(o.contact) + ")";

  if (o.access.empty()) {
    return make(Status::kError,
                fmt::format("could not probe {}{}: {}", w.where, w.from,
                            o.error.empty() ? o.contact_detail : o.error),
                expected_text, "error");
  }
  // Silence that no control explained is neither a service nor a refusal (a
  // slow or loaded router, loss and a tarpit look the same), so nothing is
  // decided on it, whatever was expected: not a failure naming a cause it
  // does not prove. Only "restricted" may count it, with its control (below).
  const bool unexplained_silence =
      o.access == "no-api" && o.contact == Contact::kSilent && !(o.control && o.control->ok);
  if (unexplained_silence && expect_word != "restricted")
    return make(Status::kError,
                fmt::format("{}{}: {}: silence is neither an answer nor a refusal (a slow or "
                            "loaded router, loss or a tarpit looks the same), so nothing was "
                            "decided; a longer \"timeout\" gives a slow router time",
                            w.where, w.from, no_api_text(o)),
                expected_text, observed);
  const std::string answered =
      fmt::format("{} answered {}{}", w.where, quoted(o.first_reply), w.from);
  const std::string not_api = fmt::format("port {} answered{}, but not as the RouterOS API ({})",
                                          o.port, w.from, o.contact_detail);

  if (!expect_word.empty()) {
    if (expect_word == "api") {
      if (o.access == "api") return make(Status::kPass, answered, expected_text, observed);
      if (o.access == "not-api") return make(Status::kFail, not_api, expected_text, observed);
      return make(
          Status::kFail,
          fmt::format("no RouterOS API on {}{}: {} (is the {} service enabled on this port, "
                      "and is this source in its address list? /ip service print)",
                      o.port, w.from, no_api_text(o), w.svc),
          expected_text, observed);
    }
    if (expect_word == "no-api") {
      if (o.access == "no-api")
        return make(Status::kPass,
                    fmt::format("no API on {}{}: {}", o.port, w.from, no_api_text(o)),
                    expected_text, observed);
      if (o.access == "not-api")
        return make(Status::kFail, not_api + ": another service listens there", expected_text,
                    observed);
      return make(Status::kFail,
                  fmt::format("{}: the {} service is enabled and reachable{} (disable it: /ip "
                              "service set {} disabled=yes)",
                              answered, w.svc, w.from, w.svc),
                  expected_text, observed);
    }
    if (expect_word == "not-api") {
      if (o.access == "not-api") return make(Status::kPass, not_api, expected_text, observed);
      if (o.access == "api")
        return make(Status::kFail, answered + ": it speaks the RouterOS API", expected_text,
                    observed);
      return make(Status::kFail,
                  fmt::format("nothing answered on {}{}: {}", o.port, w.from, no_api_text(o)),
                  expected_text, observed);
    }
    // restricted
    const std::string mode = restriction_mode(o.contact);
    if (o.access == "no-api" && !mode.empty()) {
      const bool counts = std::find(restricted_modes.begin(), restricted_modes.end(), mode) !=
                          restricted_modes.end();
      std::string text =
          fmt::format("{}{} is restricted ({}): {}", w.where, w.from, mode, no_api_text(o));
      if (o.control)
        text += fmt::format("; the control from {} got {} in {} ms of the same {} ms",
                            o.control->source, quoted(o.control->seen), o.control->took_ms,
                            o.control->window_ms);
      if (counts) return make(Status::kPass, text, expected_text, "restricted (" + mode + ")");
      if (mode == "silent")
        return make(
            Status::kError,
            fmt::format("{}{}: {}: silence is not a refusal (a slow or loaded router, loss or "
                        "a tarpit looks the same); to count it, expect {{\"restricted\": "
                        "{{\"modes\": [\"reset\", \"close\", \"silent\"], \"control\": "
                        "\"<allowed source>\"}}}}",
                        w.where, w.from, no_api_text(o)),
            expected_text, observed);
      return make(Status::kFail,
                  fmt::format("{}: a {}, which this check does not count as a restriction "
                              "(\"modes\" lists {})",
                              text, mode, fmt::join(restricted_modes, ", ")),
                  expected_text, observed);
    }
    if (o.access == "api")
      return make(Status::kFail,
                  fmt::format("{}: the {} service's address list does not exclude this source "
                              "(restrict it: /ip service set {} address=<allowed prefixes>)",
                              answered, w.svc, w.svc),
                  expected_text, observed);
    if (o.access == "not-api") return make(Status::kFail, not_api, expected_text, observed);
    return make(Status::kFail,
                fmt::format("port {}{}: {}: the connection was never accepted, which is a firewall "
                            "or a disabled service, not a service address restriction (expect "
                            "\"no-api\" if that is intended)",
                            o.port, w.from, o.contact_detail),
                expected_text, observed);
  }

  // Object form: the API must answer first.
  if (o.access != "api") {
    const bool tcp_failed = o.contact == Contact::kTcpFiltered ||
                            o.contact == Contact::kTcpClosed ||
                            o.contact == Contact::kTcpUnreachable;
    const std::string why =
        o.access == "not-api" ? not_api
        : tcp_failed          ? fmt::format("{} cannot reach port {} ({})",
                                   o.source_name.empty() ? "this host" : o.source_name, o.port,
                                            no_api_text(o))
                     : fmt::format("no RouterOS API on {}{}: {}", o.port, w.from, no_api_text(o));
    return make(Status::kFail, why + "; nothing else could be checked", expected_text, observed);
  }
  std::vector<std::string> fails, errors, passes;
  auto step = [&](const char* what, const std::optional<std::string>& want, const ApiStep& got,
                  const std::string& fail_ok, const std::string& fail_denied) {
    if (!want) return;
    if (got.outcome == StepOutcome::kError || got.outcome == StepOutcome::kNotAttempted) {
      errors.push_back(fmt::format(
          "{}: {}", what, got.message.empty() ? std::string("not attempted") : got.message));
      return;
    }
    const std::string seen = to_string(got.outcome);
    if (seen == *want) {
      passes.push_back(fmt::format("{} {}{}", what, seen,
                                   got.message.empty() ? "" : " (" + quoted(got.message) + ")"));
      return;
    }
    fails.push_back(got.outcome == StepOutcome::kOk ? fail_ok : fail_denied);
  };
  const std::string user = credentials ? credentials->user : "";
  step("login", login, o.login,
       fmt::format("login as {} succeeded{} but was expected to be denied (disable the user or "
                   "remove the api policy from its group)",
                   user, w.from),
       fmt::format("login as {} was denied by the router: {} (check the password in {} and that "
                   "the user's group has the api policy, and the user's address list)",
                   user, quoted(o.login.message), credentials ? credentials->origin() : ""));
  step("read", read, o.read,
       fmt::format("user {} can read the configuration, expected denied", user),
       fmt::format("user {} cannot read: {} (give its group the read policy)", user,
                   quoted(o.read.message)));
  step("write", write, o.write,
       fmt::format("user {} can change the router: {} was accepted (its group has the write "
                   "policy; give it a read-only group: /user set {} group=read)",
                   user, o.write.attempted, user),
       fmt::format("user {} cannot write: {} answered {}", user, o.write.attempted,
                   quoted(o.write.message)));
  if (pre_login_fatal) {
    if (!o.pre_login_fatal) {
      errors.push_back("pre-login: not observed (" + o.pre_login_seen + ")");
    } else if (*o.pre_login_fatal) {
      passes.push_back("a command before login got " + quoted(o.pre_login_seen));
    } else {
      fails.push_back(
          "a command before login got " + quoted(o.pre_login_seen) +
          " instead of `!fatal not logged in`: the API serves unauthenticated requests");
    }
  }
  if (legacy_login) {
    if (!o.legacy_login) {
      errors.push_back("legacy login: not observed (" + o.legacy_detail + ")");
    } else if (*o.legacy_login == *legacy_login) {
      passes.push_back(*o.legacy_login ? "bare /login answered with the pre-6.43 challenge"
                                       : "no pre-6.43 challenge login");
    } else if (*o.legacy_login) {
      fails.push_back(
          "the router answered a bare /login with the pre-6.43 challenge (" + o.legacy_detail +
          "): legacy firmware; that login method was removed in 6.45.1 (upgrade RouterOS)");
    } else {
      fails.push_back("a bare /login got " + quoted(o.legacy_detail) +
                      ", not the pre-6.43 challenge");
    }
  }
  if (max_sessions_expect) {
    const bool want = *max_sessions_expect == "enforced";
    if (!o.sessions || !o.sessions->enforced) {
      errors.push_back("max-sessions: " +
                       (o.sessions ? o.sessions->note : std::string("not tested")));
    } else if (*o.sessions->enforced == want) {
      passes.push_back(fmt::format("session {} (over max-sessions {}) saw: {}",
                                   o.sessions->limit + 1, o.sessions->limit,
                                   o.sessions->extra_seen));
    } else if (*o.sessions->enforced) {
      fails.push_back(fmt::format(
          "session {} (over max-sessions {}) was refused ({}), expected it to be served",
          o.sessions->limit + 1, o.sessions->limit, o.sessions->extra_seen));
    } else {
      fails.push_back(
          fmt::format("session {} was served ({}) with {} already open: max-sessions {} is not "
                      "enforced (set it: "
                      "/ip service set {} max-sessions={}, RouterOS 7.16+)",
                      o.sessions->limit + 1, o.sessions->extra_seen, o.sessions->held,
                      o.sessions->limit, w.svc, o.sessions->limit));
    }
  }
  std::string obs_text;
  auto add = [&](const std::string& k, const std::string& v) {
    obs_text += (obs_text.empty() ? "" : " ") + k + "=" + v;
  };
  if (login) add("login", to_string(o.login.outcome));
  if (read) add("read", to_string(o.read.outcome));
  if (write) add("write", to_string(o.write.outcome));
  if (pre_login_fatal)
    add("pre_login", o.pre_login_fatal ? (*o.pre_login_fatal ? "fatal" : "other") : "error");
  if (legacy_login)
    add("legacy_login", o.legacy_login ? (*o.legacy_login ? "true" : "false") : "error");
  if (max_sessions_expect)
    add("max_sessions", o.sessions && o.sessions->enforced
                            ? (*o.sessions->enforced ? "enforced" : "not-enforced")
                            : "error");
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s;
  };
  const std::string prefix = w.where + w.from + ": ";
  if (!fails.empty())
    return make(
        Status::kFail,
        prefix + join(fails) + (errors.empty() ? "" : "; also could not check: " + join(errors)),
        expected_text, obs_text);
  if (!errors.empty())
    return make(Status::kError, prefix + "could not check: " + join(errors), expected_text,
                obs_text);
  return make(Status::kPass, prefix + join(passes), expected_text, obs_text);
}

}  // namespace vantage::probes
