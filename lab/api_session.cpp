#include "lab/api_session.hpp"

#include <fmt/format.h>

#include <random>

#include "routeros/facts.hpp"
#include "routeros/sentence.hpp"

namespace vantage::lab {

using routeros::Sentence;

namespace {

constexpr const char* kLoginFailed = "invalid user name or password (6)";

void emit(std::vector<std::uint8_t>& out, Sentence s, const std::optional<std::string>& tag) {
  if (tag) s.add_tag(*tag);
  auto bytes = s.encode();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void emit_trap(std::vector<std::uint8_t>& out, const Trap& t,
               const std::optional<std::string>& tag) {
  Sentence s{"!trap"};
  if (t.category) s.add_attr("category", std::to_string(*t.category));
  s.add_attr("message", t.message);
  emit(out, std::move(s), tag);
}

void emit_row(std::vector<std::uint8_t>& out, const Row& row,
              const std::optional<std::string>& tag) {
  Sentence s{"!re"};
  for (const auto& [k, v] : row) s.add_attr(k, v);
  emit(out, std::move(s), tag);
}

std::string random_challenge() {
  std::random_device rd;
  std::string hex;
  for (int i = 0; i < 16; ++i) hex += fmt::format("{:02x}", rd() & 0xFF);
  return hex;
}

}  // namespace

ApiSession::ApiSession(RouterModel& model, std::string service, std::string peer)
    : model_(model),
      service_(std::move(service)),
      peer_(std::move(peer)),
      dec_(model.config().limits.codec) {}

ApiSession::~ApiSession() {
  for (const auto& [tag, id] : listens_) model_.log().unsubscribe(id);
  if (principal_) model_.log_logout(principal_->user, peer_, service_);
}

void ApiSession::set_wakeup(std::function<void()> wake) {
  std::lock_guard lock(push_->mu);
  push_->wake = std::move(wake);
}

bool ApiSession::take_pushed(std::vector<std::uint8_t>& out) {
  std::lock_guard lock(push_->mu);
  out.insert(out.end(), push_->bytes.begin(), push_->bytes.end());
  push_->bytes.clear();
  return !push_->overflow;
}

ApiSession::Step ApiSession::step(std::vector<std::uint8_t>& out) {
  Sentence s;
  switch (dec_.next(s)) {
    case routeros::Decoder::State::kNeedMore: return Step::kNeedMore;
    case routeros::Decoder::State::kError: close_reason_ = dec_.error(); return Step::kClose;
    case routeros::Decoder::State::kSentence: break;
  }
  return handle(s, out) ? Step::kClose : Step::kProgress;
}

bool ApiSession::handle(const Sentence& s, std::vector<std::uint8_t>& out) {
  const auto tag = s.tag();
  const std::string& cmd = s.command();
  if (cmd == "/login") {
    handle_login(s, tag, out);
    return false;
  }
  if (!principal_) {
    emit(out, Sentence{"!fatal", std::string(routeros::kNotLoggedIn)}, std::nullopt);
    close_reason_ = "command before login";
    return true;
  }
  if (cmd == "/quit") {
    emit(out, Sentence{"!fatal", "session terminated on request"}, std::nullopt);
    close_reason_ = "quit";
    return true;
  }
  if (cmd == "/cancel") {
    handle_cancel(s, tag, out);
    return false;
  }
  Request req;
  req.command = cmd;
  req.args = s.attrs();
  req.queries = s.queries();
  Reply r = model_.run(*principal_, req);
  if (r.kind == Reply::Kind::kListen) {
    start_listen(tag);  // no reply until an entry arrives or /cancel
    return false;
  }
  for (const auto& t : r.traps) emit_trap(out, t, tag);
  for (const auto& row : r.rows) emit_row(out, row, tag);
  if (r.traps.empty() && r.is_print && r.rows.empty() && model_.sends_empty())
    emit(out, Sentence{"!empty"}, tag);
  emit(out, Sentence{"!done"}, tag);
  return false;
}

void ApiSession::handle_login(const Sentence& s, const std::optional<std::string>& tag,
                              std::vector<std::uint8_t>& out) {
  const auto& version = model_.config().version;
  const bool challenge_only = version_less(version, "6.43");
  const bool challenge_too = version_less(version, "6.45.1");
  const auto name = s.attr("name");
  const auto password = s.attr("password");
  const auto response = s.attr("response");
  const char* policy = "api";
  std::optional<Principal> p;
  if (challenge_too && name && response && challenge_) {
    p = model_.login_challenge(*name, *response, *challenge_, peer_, service_, policy);
    challenge_.reset();
  } else if (challenge_only || (challenge_too && !name)) {
    // Before 6.43 every /login without a response gets a challenge, even one
    // carrying a password: that is how old routers "accept" new-style logins.
    challenge_ = random_challenge();
    emit(out, Sentence{"!done"}.add_attr("ret", *challenge_), tag);
    return;
  } else if (name) {
    p = model_.login(*name, password.value_or(""), peer_, service_, policy);
  }
  if (!p) {
    emit_trap(out, Trap{kLoginFailed, std::nullopt}, tag);
    emit(out, Sentence{"!done"}, tag);
    return;
  }
  if (principal_ && principal_->user != p->user)
    model_.log_logout(principal_->user, peer_, service_);
  principal_ = std::move(p);
  dec_.set_logged_in(true);
  emit(out, Sentence{"!done"}, tag);
}

void ApiSession::start_listen(const std::optional<std::string>& tag) {
  const std::string key = tag.value_or("");
  stop_listen(key);  // a reused tag replaces the old stream
  std::weak_ptr<Push> weak = push_;
  auto id = model_.log().subscribe([weak, tag](const LogEntry& e) {
    auto push = weak.lock();
    if (!push) return;
    std::function<void()> wake;
    {
      std::lock_guard lock(push->mu);
      if (push->bytes.size() > kMaxPushed) {
        push->overflow = true;
      } else {
        emit_row(push->bytes, RouterModel::log_row(e), tag);
      }
      wake = push->wake;
    }
    if (wake) wake();
  });
  listens_[key] = id;
}

void ApiSession::stop_listen(const std::string& key) {
  auto it = listens_.find(key);
  if (it == listens_.end()) return;
  model_.log().unsubscribe(it->second);
  listens_.erase(it);
}

void ApiSession::handle_cancel(const Sentence& s, const std::optional<std::string>& tag,
                               std::vector<std::uint8_t>& out) {
  // Entries already streamed go out before the interruption.
  take_pushed(out);
  std::vector<std::string> targets;
  if (auto t = s.attr("tag")) {
    if (listens_.count(*t)) targets.push_back(*t);
  } else {
    for (const auto& [k, id] : listens_) targets.push_back(k);
  }
  for (const auto& t : targets) stop_listen(t);
  // As RouterOS's API manual shows: the interrupted command's !trap, then
  // /cancel's own !done, then the interrupted command's !done.
  for (const auto& t : targets) {
    std::optional<std::string> ttag;
    if (!t.empty()) ttag = t;
    emit_trap(out, Trap{"interrupted", 2}, ttag);
  }
  emit(out, Sentence{"!done"}, tag);
  for (const auto& t : targets) {
    std::optional<std::string> ttag;
    if (!t.empty()) ttag = t;
    emit(out, Sentence{"!done"}, ttag);
  }
}

}  // namespace vantage::lab
