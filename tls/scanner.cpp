#include "tls/scanner.hpp"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <semaphore>
#include <system_error>
#include <thread>

#include "core/plural.hpp"
#include "tls/cipher_suites.hpp"

namespace vantage::tls {

namespace {

bool accepted_as(const HelloOutcome& o, Version v) {
  return o.kind == HelloOutcome::Kind::kServerHello && o.hello.version == wire(v);
}

// An answer that says no: an alert, or a ServerHello for another version.
bool refusal(const HelloOutcome& o, Version v) {
  return o.kind == HelloOutcome::Kind::kAlert ||
         (o.kind == HelloOutcome::Kind::kServerHello && o.hello.version != wire(v));
}

bool dropped(const HelloOutcome& o) {
  return o.kind == HelloOutcome::Kind::kClosed || o.kind == HelloOutcome::Kind::kReset;
}

// No answer at all: what a lost packet looks like as much as a server that
// ignores the hello.
bool silent(const HelloOutcome& o) {
  return o.kind == HelloOutcome::Kind::kTimeout || o.kind == HelloOutcome::Kind::kNoConnection;
}

std::optional<int> ffdhe_group_bits(std::uint16_t g) {
  switch (g) {
    case 0x0100: return 2048;
    case 0x0101: return 3072;
    case 0x0102: return 4096;
    case 0x0103: return 6144;
    case 0x0104: return 8192;
  }
  return std::nullopt;
}

SuiteResult suite_of(const HelloOutcome& o) {
  SuiteResult s;
  s.code = o.hello.suite;
  s.dh_bits = o.hello.dh_bits;
  s.ecdh_group = o.hello.ecdh_group ? o.hello.ecdh_group : o.hello.key_share_group;
  // A TLS 1.3 ffdhe key share is a finite-field group of known size.
  if (!s.dh_bits && o.hello.key_share_group) s.dh_bits = ffdhe_group_bits(*o.hello.key_share_group);
  return s;
}

std::string what(const HelloOutcome& o) {
  std::string w = to_string(o.kind);
  if (o.kind == HelloOutcome::Kind::kServerHello)
    w += " (" + version_name(o.hello.version) + ", " + suite_name(o.hello.suite) + ")";
  else if (!o.detail.empty())
    w += " (" + o.detail + ")";
  return w;
}

using Slots = std::counting_semaphore<1024>;

class Ahead;

// One scan's shared state: where connections come from, the options, the
// overall deadline, the connection count, the in-flight slots and the slots
// for connections made ahead.
struct Ctx {
  const Connector& connect;
  const ScanOptions& opt;
  Deadline dl;
  std::atomic<std::size_t>& conns;
  Slots& slots;
  Slots& ahead_slots;
  // A hello on a connection of its own, or on the one `ahead` made, and
  // then `ahead` makes the next one while this hello is answered.
  HelloOutcome hello(HelloOptions ho, Ahead* ahead = nullptr) const;
};

// A lane's next connection, made while its current hello is answered: a
// lane's hellos after its first then cost one round trip each, not two.
// Bounded by Ctx::ahead_slots; never on a sequential retry (one connection
// at a time). An unused one is closed without a byte sent, as a port scan's.
class Ahead {
 public:
  explicit Ahead(const Ctx& c) : c_(c) {}
  Ahead(const Ahead&) = delete;
  Ahead& operator=(const Ahead&) = delete;
  ~Ahead() { drop(); }

  void start() {
    if (t_.joinable() || c_.dl.expired() || !c_.ahead_slots.try_acquire()) return;
    held_ = true;
    const Deadline dl = Deadline::in(c_.opt.per_hello).earlier(c_.dl);
    try {
      t_ = std::thread([this, dl] {
        try {
          conn_ = c_.connect(dl);
        } catch (const std::exception& e) {
          conn_.error = e.what();
        }
      });
    } catch (const std::system_error&) {  // no thread to spare: the lane goes without
      release();
      return;
    }
    ++c_.conns;
  }

  // The connection made ahead, if nothing arrived on it since: one the
  // server closed, reset or spoke on first is not used (it would read as
  // that server's answer to the hello). Empty when there is none.
  Connection take() {
    if (!t_.joinable()) return {};
    t_.join();
    Connection c = std::move(conn_);
    release();
    if (!c.fd) return {};
    pollfd p{c.fd.get(), POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) != 0) return {};
    return c;
  }

 private:
  void release() {
    if (held_) c_.ahead_slots.release();
    held_ = false;
  }
  void drop() {
    if (t_.joinable()) t_.join();
    conn_ = {};
    release();
  }
  const Ctx& c_;
  std::thread t_;
  Connection conn_;
  bool held_ = false;
};

HelloOutcome Ctx::hello(HelloOptions ho, Ahead* ahead) const {
  if (!slots.try_acquire_until(dl.at())) {
    HelloOutcome o;
    o.kind = HelloOutcome::Kind::kTimeout;
    o.detail = "the scan's deadline passed while waiting for a free connection slot";
    return o;
  }
  struct Release {
    Slots& s;
    ~Release() { s.release(); }
  } release{slots};
  const Deadline hello_dl = Deadline::in(opt.per_hello).earlier(dl);
  Connection c;
  if (ahead) c = ahead->take();
  if (!c.fd) {
    ++conns;
    c = connect(hello_dl);
  }
  if (ahead && opt.connect_ahead && c.fd) ahead->start();
  return hello_on(c, std::move(ho), hello_dl);
}

// Runs fn(0..n-1) side by side and waits for all; an exception in one is
// swallowed there (fn records what it leaves unsettled before it can throw).
template <typename Fn>
void side_by_side(std::size_t n, Fn fn) {
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    threads.emplace_back([&fn, i] {
      try {
        fn(i);
      } catch (const std::exception&) {
      }
    });
  for (auto& t : threads) t.join();
}

HelloOptions base_hello(const Ctx& c, Version v) {
  HelloOptions ho;
  ho.version = v;
  ho.server_name = c.opt.server_name;
  return ho;
}

void cut(VersionResult& vr, std::vector<std::uint16_t> left, const std::string& why) {
  vr.enumeration_truncated = true;
  vr.untested = std::move(left);
  vr.notes.push_back(std::string(to_string(vr.version)) + " suite enumeration cut short after " +
                     counted(vr.suites.size(), "suite") + ": " + why + "; " +
                     counted(vr.untested.size(), "offered suite") + " never answered");
}

// TLS <= 1.2: offer `offer`, remove what the server chose, repeat, until an
// alert says nothing is left. `o` is the answer to `offer` already in hand.
// With `why`, a cut is recorded there instead of as a note (a lane's, which
// enumerate_lanes() words once for the version).
void enumerate_legacy(const Ctx& c, VersionResult& vr, std::vector<std::uint16_t> offer,
                      HelloOutcome o, std::string* why = nullptr, Ahead* ahead = nullptr) {
  const Version v = vr.version;
  auto cut = [&](std::vector<std::uint16_t> left, const std::string& reason) {
    if (!why) return vantage::tls::cut(vr, std::move(left), reason);
    vr.enumeration_truncated = true;
    vr.untested = std::move(left);
    *why = reason;
  };
  // Pessimistic until the server ends it: an exception leaves it truncated.
  vr.enumeration_truncated = true;
  vr.untested = offer;
  auto complete = [&vr] {
    vr.enumeration_truncated = false;
    vr.untested.clear();
  };
  for (;;) {
    if (o.kind == HelloOutcome::Kind::kAlert) return complete();  // none of what is left
    if (!accepted_as(o, v)) return cut(std::move(offer), what(o));
    auto it = std::find(offer.begin(), offer.end(), o.hello.suite);
    if (it == offer.end())
      return cut(std::move(offer),
                 "the server chose " + suite_name(o.hello.suite) + ", which was not offered");
    offer.erase(it);
    vr.suites.push_back(suite_of(o));
    if (offer.empty()) return complete();
    if (vr.suites.size() >= c.opt.max_suites) return cut(std::move(offer), "the suite bound");
    if (c.dl.expired()) return cut(std::move(offer), "the deadline");
    HelloOptions ho = base_hello(c, v);
    ho.suites = offer;
    o = c.hello(std::move(ho), ahead);
  }
}

// The first answer's suite, then what is left of `offer` in lanes enumerated
// side by side (ScanOptions::lanes). The union of the lanes is the server's
// set: it can only choose from what a lane offers, and an alert ends a lane
// only for that lane's suites.
void enumerate_lanes(const Ctx& c, VersionResult& vr, std::vector<std::uint16_t> offer,
                     HelloOutcome first) {
  auto chosen = std::find(offer.begin(), offer.end(), first.hello.suite);
  if (c.opt.lanes <= 1 || !accepted_as(first, vr.version) || chosen == offer.end())
    return enumerate_legacy(c, vr, std::move(offer), std::move(first));
  offer.erase(chosen);
  vr.suites.push_back(suite_of(first));
  if (offer.empty()) return;
  vr.enumeration_truncated = true;  // until the lanes end (an exception leaves it so)
  vr.untested = offer;
  // Round robin: a server's suites sit together in the list, and a lane's
  // length in round trips is the number it accepts.
  std::vector<std::vector<std::uint16_t>> lane(std::min(c.opt.lanes, offer.size()));
  for (std::size_t i = 0; i < offer.size(); ++i) lane[i % lane.size()].push_back(offer[i]);
  std::vector<VersionResult> out(lane.size());
  std::vector<std::string> why(lane.size());
  side_by_side(lane.size(), [&](std::size_t i) {
    out[i].version = vr.version;
    out[i].enumeration_truncated = true;  // until the lane ends it (an exception leaves it so)
    out[i].untested = lane[i];
    why[i] = "an internal error";
    HelloOptions ho = base_hello(c, vr.version);
    ho.suites = lane[i];
    Ahead ahead(c);
    HelloOutcome o = c.hello(std::move(ho), &ahead);
    enumerate_legacy(c, out[i], lane[i], std::move(o), &why[i], &ahead);
  });
  std::vector<std::uint16_t> untested;
  std::string reason;
  for (std::size_t i = 0; i < out.size(); ++i) {
    vr.suites.insert(vr.suites.end(), out[i].suites.begin(), out[i].suites.end());
    if (!out[i].enumeration_truncated) continue;
    for (std::uint16_t code : out[i].untested)  // a suite found before a throw is not untested
      if (std::none_of(out[i].suites.begin(), out[i].suites.end(),
                       [&](const SuiteResult& s) { return s.code == code; }))
        untested.push_back(code);
    if (reason.empty()) reason = why[i];
  }
  if (!reason.empty()) return cut(vr, std::move(untested), reason);
  vr.enumeration_truncated = false;
  vr.untested.clear();
}

// Suites per hello when a server has shown it drops large hellos, or when
// resuming: about the size of the common-suite hello that was answered.
constexpr std::size_t kChunk = 64;

// Enumerates `suites` a chunk at a time (each chunk its own offer-remove-
// repeat), stopping at the first chunk cut short: its untested suites and
// every later chunk are then left untested.
void enumerate_in_chunks(const Ctx& c, VersionResult& vr,
                         const std::vector<std::uint16_t>& suites) {
  for (std::size_t at = 0; at < suites.size(); at += kChunk) {
    const auto begin = suites.begin() + static_cast<std::ptrdiff_t>(at);
    const auto end = begin + static_cast<std::ptrdiff_t>(std::min(kChunk, suites.size() - at));
    std::vector<std::uint16_t> chunk(begin, end);
    HelloOptions ho = base_hello(c, vr.version);
    ho.suites = chunk;
    HelloOutcome o = c.hello(std::move(ho));
    enumerate_legacy(c, vr, std::move(chunk), std::move(o));
    if (vr.enumeration_truncated) {
      vr.untested.insert(vr.untested.end(), end, suites.end());
      return;
    }
  }
}

// TLS 1.3: each suite on its own (the server can only pick that one). An
// alert refuses the suite; anything else leaves it untested.
// `together`: the hellos side by side (the first pass), else one at a time
// (the sequential retry, for a server that limits sessions).
void enumerate_tls13(const Ctx& c, VersionResult& vr, const std::vector<std::uint16_t>& codes,
                     bool together) {
  std::vector<std::uint16_t> left;
  std::string why;
  vr.enumeration_truncated = true;  // until every suite has an answer
  vr.untested = codes;
  // Independent hellos: side by side, answers kept in the list's order.
  std::vector<std::optional<HelloOutcome>> answers(codes.size());
  auto ask = [&](std::size_t i) {
    if (c.dl.expired()) return;
    HelloOptions ho = base_hello(c, vr.version);
    ho.suites = {codes[i]};
    answers[i] = c.hello(std::move(ho));
  };
  if (together && c.opt.lanes > 1)
    side_by_side(codes.size(), ask);
  else
    for (std::size_t i = 0; i < codes.size(); ++i) ask(i);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::uint16_t code = codes[i];
    if (!answers[i]) {  // the deadline, or a failure before any answer
      left.push_back(code);
      if (why.empty()) why = "the deadline";
      continue;
    }
    const HelloOutcome& o = *answers[i];
    if (accepted_as(o, vr.version) && o.hello.suite == code) {
      vr.suites.push_back(suite_of(o));
    } else if (o.kind != HelloOutcome::Kind::kAlert) {
      left.push_back(code);
      if (why.empty()) why = suite_name(code) + " got " + what(o);
    }
  }
  vr.enumeration_truncated = false;
  vr.untested.clear();
  if (!left.empty()) cut(vr, std::move(left), why);
}

// The first hello (with the common-suite retry), then the enumeration.
VersionResult scan_version(const Ctx& c, Version v, std::vector<std::vector<std::uint8_t>>& certs) {
  VersionResult vr;
  vr.version = v;
  HelloOptions ho = base_hello(c, v);
  const bool tls13 = v == Version::kTls13;
  ho.suites = tls13 ? tls13_suite_codes() : legacy_suite_codes();
  vr.first = c.hello(ho);
  std::vector<std::uint16_t> offer = ho.suites;
  bool fallback = false;  // the full list was dropped; the common list was answered
  // Some stacks drop a hello with hundreds of suites (record > 255/512 bytes)
  // instead of answering it: retry once with the suites that are commonly
  // deployed before going on.
  if (!tls13 && dropped(vr.first) && !c.dl.expired()) {
    ho.suites = common_suite_codes();
    HelloOutcome retry = c.hello(ho);
    if (retry.kind == HelloOutcome::Kind::kServerHello ||
        retry.kind == HelloOutcome::Kind::kAlert) {
      vr.notes.push_back(std::string(to_string(v)) + ": the full-list hello got a TCP " +
                         to_string(vr.first.kind) + "; a hello with " +
                         std::to_string(ho.suites.size()) + " common suites was answered");
      vr.first = std::move(retry);
      offer = ho.suites;
      fallback = true;
    }
  }
  vr.accepted = accepted_as(vr.first, v);
  vr.refused = refusal(vr.first, v);
  if (vr.first.kind == HelloOutcome::Kind::kServerHello && !vr.accepted)
    vr.notes.push_back("server answered a " + std::string(to_string(v)) + " hello with " +
                       version_name(vr.first.hello.version));
  if (!vr.accepted) return vr;
  if (!vr.first.hello.certificates.empty()) certs = vr.first.hello.certificates;
  if (!c.opt.enumerate_suites) {
    vr.suites.push_back(suite_of(vr.first));
    return vr;
  }
  if (tls13)
    enumerate_tls13(c, vr, tls13_suite_codes(), true);
  else if (fallback)
    enumerate_legacy(c, vr, std::move(offer), vr.first);  // a hello-size-intolerant server
  else
    enumerate_lanes(c, vr, std::move(offer), vr.first);
  if (fallback) {
    // The common list is not every suite: offer the rest too, in hellos no
    // larger than the one that was answered, or they were never tested.
    std::vector<std::uint16_t> rest;
    const auto& common = common_suite_codes();
    for (std::uint16_t code : legacy_suite_codes())
      if (std::find(common.begin(), common.end(), code) == common.end()) rest.push_back(code);
    if (vr.enumeration_truncated)
      vr.untested.insert(vr.untested.end(), rest.begin(), rest.end());  // for the retry
    else
      enumerate_in_chunks(c, vr, rest);
  }
  return vr;
}

// A hello the server is known to answer: a version it accepted, offering
// one suite it chose.
std::optional<HelloOptions> known_good(const Ctx& c, const std::vector<VersionResult>& all) {
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->accepted && !it->suites.empty()) {
      HelloOptions ho = base_hello(c, it->version);
      ho.suites = {it->suites.front().code};
      return ho;
    }
  return std::nullopt;
}

// Before a sequential retry of a hello that was reset or closed: a server
// counting sessions (max-sessions, a connection-limit rule) may still count
// the connections just closed, and would reset the retry for that alone.
void let_sessions_close(const Ctx& c) {
  using namespace std::chrono_literals;
  const auto pause = std::min<std::chrono::milliseconds>(250ms, c.opt.per_hello / 4);
  if (std::chrono::milliseconds(c.dl.poll_ms()) > 2 * pause) std::this_thread::sleep_for(pause);
}

// Sequential rounds, at most, that resume a truncated enumeration or ask
// again a version that got only silence.
constexpr int kResumeRounds = 3;

// The sequential second chance for what the first pass left unsettled.
void retry_sequentially(const Ctx& c, std::vector<VersionResult>& all,
                        std::vector<std::vector<std::vector<std::uint8_t>>>& certs) {
  for (std::size_t i = 0; i < all.size() && !c.dl.expired(); ++i) {
    VersionResult& vr = all[i];
    const std::string name = to_string(vr.version);
    if (!vr.determined()) {
      const std::string before = what(vr.first);
      if (dropped(vr.first)) let_sessions_close(c);
      VersionResult again = scan_version(c, vr.version, certs[i]);
      again.notes.insert(again.notes.begin(), name + ": the first hello got " + before +
                                                  "; retried sequentially: " + what(again.first));
      // Silence again: on a lossy link a hello whose SYN is lost twice
      // outlives per_hello, so silence is asked again like a cut-short
      // enumeration is resumed; a close or reset is confirmed below instead.
      for (int round = 2;
           round <= kResumeRounds && !again.determined() && silent(again.first) && !c.dl.expired();
           ++round) {
        VersionResult next = scan_version(c, vr.version, certs[i]);
        next.notes.insert(next.notes.begin(), again.notes.begin(), again.notes.end());
        next.notes.push_back(name + ": asked again sequentially (round " + std::to_string(round) +
                             "): " + what(next.first));
        again = std::move(next);
      }
      if (!again.determined() && dropped(again.first)) {
        // Confirm a consistent close/reset against a hello the server
        // answers, right after: only then is it how this server refuses.
        if (auto good = known_good(c, all); good && !c.dl.expired()) {
          const Version gv = good->version;
          HelloOutcome control = c.hello(std::move(*good));
          if (accepted_as(control, gv)) {
            // Once more, right after the answered control and a pause: a
            // session count that lagged is settled now, a refusal is not.
            let_sessions_close(c);
            VersionResult third = scan_version(c, vr.version, certs[i]);
            if (third.determined()) {
              third.notes.insert(third.notes.begin(), again.notes.begin(), again.notes.end());
              third.notes.push_back(name + ": answered on a third, paused attempt");
              again = std::move(third);
            } else {
              again.refused = true;
              again.notes.push_back(name + ": hellos got a TCP " + to_string(again.first.kind) +
                                    " again on two sequential retries while a " + to_string(gv) +
                                    " hello was answered: counted as refused");
            }
          }
        }
      }
      vr = std::move(again);
      // The retried scan can itself be cut short (a session limit still
      // counting a closing connection): it gets the resume below too.
    }
    // Each round goes on from where the last stopped. More than one: on a
    // lossy link a hello whose SYN is lost twice outlives per_hello (3 s of
    // retransmits), and one such silence is no reason to stop.
    for (int round = 1; round <= kResumeRounds && vr.accepted && vr.enumeration_truncated &&
                        vr.suites.size() < c.opt.max_suites && !c.dl.expired();
         ++round) {
      std::vector<std::uint16_t> left = vr.untested;
      // Cut by a session limit, the round would be cut again by the
      // connections it still counts (a loaded 2-session front reset three
      // rounds running): the same pause as before a dropped hello's retry.
      let_sessions_close(c);
      vr.notes.push_back(name + ": resuming the suite enumeration sequentially (round " +
                         std::to_string(round) + ", " + counted(left.size(), "suite") + " left)");
      if (vr.version == Version::kTls13) {
        enumerate_tls13(c, vr, left, false);
      } else {
        enumerate_in_chunks(c, vr, left);
      }
    }
  }
}

bool any_tls_answer(const std::vector<VersionResult>& all) {
  return std::any_of(all.begin(), all.end(), [](const VersionResult& v) {
    return v.first.kind == HelloOutcome::Kind::kServerHello ||
           v.first.kind == HelloOutcome::Kind::kAlert;
  });
}

}  // namespace

std::size_t lanes_while_busy(std::size_t wanted, std::size_t scans) {
  if (scans > 64) return std::min<std::size_t>(wanted, 2);
  if (scans > 8) return std::min<std::size_t>(wanted, 4);
  return wanted;
}

ScanResult scan(const Connector& connect, const ScanOptions& options, Deadline dl) {
  static std::atomic<std::size_t> running{0};
  struct Running {
    std::size_t now = ++running;
    ~Running() { --running; }
  } me;
  // Not parallel: one connection at a time, lanes included (a
  // session-limited service).
  ScanOptions opt = options;
  opt.lanes = lanes_while_busy(opt.lanes, me.now);
  opt.connect_ahead = opt.connect_ahead && opt.parallel && opt.lanes == options.lanes;
  if (!opt.parallel) opt.lanes = opt.max_in_flight = 1;
  ScanResult r;
  r.versions.resize(opt.versions.size());
  std::vector<std::vector<std::vector<std::uint8_t>>> certs(opt.versions.size());
  std::atomic<std::size_t> conns{0};
  const auto in_flight =
      static_cast<std::ptrdiff_t>(std::clamp<std::size_t>(opt.max_in_flight, 1, 1024));
  Slots slots(in_flight);
  Slots ahead_slots(opt.connect_ahead ? in_flight : 0);
  const Ctx c{connect, opt, dl, conns, slots, ahead_slots};
  auto run = [&](std::size_t i) {
    try {
      r.versions[i] = scan_version(c, opt.versions[i], certs[i]);
    } catch (const std::exception& e) {  // a thread must not let an exception escape
      r.versions[i].version = opt.versions[i];
      r.versions[i].first.kind = HelloOutcome::Kind::kNoConnection;
      r.versions[i].first.detail = e.what();
    }
  };
  if (opt.parallel && opt.versions.size() > 1) {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < opt.versions.size(); ++i) threads.emplace_back(run, i);
    for (auto& t : threads) t.join();
  } else {
    for (std::size_t i = 0; i < opt.versions.size(); ++i) run(i);
  }
  // A server that gave no TLS answer at all is not alive for this scan:
  // retrying it only spends the deadline (the probe reports it as an error).
  if (any_tls_answer(r.versions)) {
    try {
      retry_sequentially(c, r.versions, certs);
    } catch (const std::exception&) {  // what is still unsettled stays so
    }
  }
  // Prefer the chain from the newest version that sent one in the clear.
  for (std::size_t i = certs.size(); i-- > 0;)
    if (!certs[i].empty()) {
      r.certificates = std::move(certs[i]);
      break;
    }
  r.connections = conns.load();
  return r;
}

}  // namespace vantage::tls
