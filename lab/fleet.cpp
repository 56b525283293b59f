#include "lab/fleet.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"

namespace vantage::lab {

namespace asio = boost::asio;

// One io_context per thread (not one context run by many threads): a router's
// handlers then never run concurrently, so its state needs no locks.
struct Fleet::Pool {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;

  explicit Pool(unsigned n) {
    for (unsigned i = 0; i < n; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  ~Pool() { stop(); }

  void start() {
    if (!threads.empty()) return;
    done = 0;
    for (auto& io : contexts) {
      io->restart();
      guards.emplace_back(io->get_executor());
      threads.emplace_back([this, ctx = io.get()] {
        ctx->run();
        std::lock_guard lock(mu);
        ++done;
        cv.notify_all();
      });
    }
  }

  // run() returns once every aborted operation has completed; what still
  // runs after 2 s is stopped outright.
  void stop() {
    if (threads.empty()) return;
    guards.clear();
    {
      std::unique_lock lock(mu);
      if (!cv.wait_for(lock, std::chrono::seconds(2), [&] { return done == threads.size(); }))
        for (auto& io : contexts) io->stop();
    }
    for (auto& t : threads) t.join();
    threads.clear();
  }

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<Guard> guards;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::condition_variable cv;
  std::size_t done = 0;
};

namespace {

unsigned thread_count(unsigned asked, std::size_t routers) {
  unsigned n = asked ? asked : std::max(1U, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::clamp<std::size_t>(routers, 1, n));
}

}  // namespace

Fleet::Fleet(std::vector<LabConfig> routers, FleetOptions opt)
    : ca_(opt.key), pool_(std::make_unique<Pool>(thread_count(opt.threads, routers.size()))) {
  routers_.reserve(routers.size());
  for (std::size_t i = 0; i < routers.size(); ++i)
    routers_.push_back(
        Router(std::move(routers[i]), *pool_->contexts[i % pool_->contexts.size()], ca_));
}

Fleet::~Fleet() {
  stop();
}

void Fleet::start() {
  if (running_) return;
  pool_->start();
  running_ = true;
  for (auto& r : routers_) {
    try {
      r.start();
    } catch (const Error& e) {
      stop();
      throw Error("lab: router " + r.identity() + ": " + e.what());
    }
  }
}

void Fleet::stop() {
  if (!running_) return;
  for (auto& r : routers_) r.stop();
  pool_->stop();
  running_ = false;
}

std::size_t Fleet::size() const {
  return routers_.size();
}
Router& Fleet::router(std::size_t i) {
  return routers_.at(i);
}
const Router& Fleet::router(std::size_t i) const {
  return routers_.at(i);
}
unsigned Fleet::threads() const {
  return static_cast<unsigned>(pool_->contexts.size());
}
const std::string& Fleet::ca_pem() const {
  return ca_.ca_pem();
}

namespace {

// The address `offset` places after `first`, or nullopt past the family's end.
std::optional<std::string> nth_address(const std::string& first, std::size_t offset) {
  unsigned char b[16];
  const bool v4 = inet_pton(AF_INET, first.c_str(), b) == 1;
  if (!v4 && inet_pton(AF_INET6, first.c_str(), b) != 1) return std::nullopt;
  const int len = v4 ? 4 : 16;
  std::size_t carry = offset;
  for (int i = len - 1; i >= 0 && carry; --i) {
    const std::size_t sum = b[i] + (carry & 0xff);
    b[i] = static_cast<unsigned char>(sum);
    carry = (carry >> 8) + (sum >> 8);
  }
  if (carry) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  inet_ntop(v4 ? AF_INET : AF_INET6, b, text, sizeof text);
  return std::string(text);
}

}  // namespace

std::vector<LabConfig> fleet_configs(const std::vector<LabConfig>& variants, std::size_t n,
                                     const std::string& first) {
  if (variants.empty()) throw Error("lab: a fleet needs at least one router config");
  unsigned char probe[16];
  if (inet_pton(AF_INET, first.c_str(), probe) != 1 &&
      inet_pton(AF_INET6, first.c_str(), probe) != 1)
    throw Error("lab: first address \"" + first + "\" is not an IP address (e.g. 127.1.0.1)");
  const std::size_t width = std::to_string(n).size();
  std::vector<LabConfig> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto addr = nth_address(first, i);
    if (!addr)
      throw Error("lab: " + std::to_string(n) + " routers from " + first +
                  " run past the end of the address space; start lower");
    LabConfig c = variants[i % variants.size()];
    std::string num = std::to_string(i + 1);
    c.identity += "-" + std::string(width - num.size(), '0') + num;
    c.listen = {*addr};
    c.nflog_group = 0;  // one NFLOG group cannot feed many routers: no firewall log in a fleet
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace vantage::lab
