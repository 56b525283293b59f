#pragma once
// One RouterOS API session, independent of the transport: bytes in, reply
// bytes out. The server owns the socket; tests can drive this directly.
//
// Behaviour, as RouterOS's: the router never speaks first; anything but
// /login before login gets `!fatal not logged in` and a close; /quit gets
// `!fatal session terminated on request`; every reply to a tagged sentence
// carries its .tag; an empty print gets !empty then !done (7.18+).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lab/model.hpp"
#include "routeros/decoder.hpp"

namespace vantage::lab {

class ApiSession {
 public:
  ApiSession(RouterModel& model, std::string service, std::string peer);
  ~ApiSession();
  ApiSession(const ApiSession&) = delete;
  ApiSession& operator=(const ApiSession&) = delete;

  void feed(std::span<const std::uint8_t> bytes) { dec_.feed(bytes); }

  enum class Step { kNeedMore, kProgress, kClose };
  // Handles at most one buffered sentence, appending replies to `out`.
  // kClose: flush `out`, then close (see close_reason()).
  Step step(std::vector<std::uint8_t>& out);

  // Replies produced outside step() (a /log/listen stream). Moves them to
  // `out`; false when the client fell too far behind and must be dropped.
  bool take_pushed(std::vector<std::uint8_t>& out);
  // Called (from any thread) when take_pushed has something.
  void set_wakeup(std::function<void()> wake);

  bool logged_in() const { return principal_.has_value(); }
  const std::string& close_reason() const { return close_reason_; }

  static constexpr std::size_t kMaxPushed = 1024 * 1024;

 private:
  struct Push {
    std::mutex mu;
    std::vector<std::uint8_t> bytes;
    bool overflow = false;
    std::function<void()> wake;
  };

  bool handle(const routeros::Sentence& s, std::vector<std::uint8_t>& out);
  void handle_login(const routeros::Sentence& s, const std::optional<std::string>& tag,
                    std::vector<std::uint8_t>& out);
  void handle_cancel(const routeros::Sentence& s, const std::optional<std::string>& tag,
                     std::vector<std::uint8_t>& out);
  void start_listen(const std::optional<std::string>& tag);
  void stop_listen(const std::string& key);

  RouterModel& model_;
  std::string service_, peer_;
  routeros::Decoder dec_;
  std::optional<Principal> principal_;
  std::optional<std::string> challenge_;
  std::shared_ptr<Push> push_ = std::make_shared<Push>();
  std::map<std::string, std::uint64_t> listens_;  // tag ("" untagged) -> LogBook subscription
  std::string close_reason_;
};

}  // namespace vantage::lab
