#pragma once
// Many emulated routers in one process, for fleet rehearsals and benchmarks
// that should measure vantage, not the emulator:
//
//   vantage::lab::Fleet f(configs, {.key = KeyType::kEcdsa});
//   f.start();            // binds every router; throws naming the one that failed
//   f.router(7).port("api-ssl");
//   f.stop();             // or let the destructor do it
//
// The routers share one CA (each gets its own certificate: its names, serial
// and fingerprint) and a pool of I/O threads, one per core: router i is
// served by thread i % threads, so each router's state still lives on one
// thread, as in a lone Router.
#include <cstddef>
#include <memory>
#include <vector>

#include "lab/config.hpp"
#include "lab/router.hpp"
#include "lab/self_signed.hpp"

namespace vantage::lab {

struct FleetOptions {
  KeyType key = KeyType::kRsa;  // of the "self-signed" certificates
  unsigned threads = 0;         // 0 = one per core
};

class Fleet {
 public:
  explicit Fleet(std::vector<LabConfig> routers, FleetOptions opt = {});
  ~Fleet();  // stop()
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  void start();
  // Closes every router's listeners and sessions, then joins the threads
  // (within ~2 s; what is still running then is abandoned, as in Router).
  void stop();

  std::size_t size() const;
  Router& router(std::size_t i);
  const Router& router(std::size_t i) const;
  unsigned threads() const;
  const std::string& ca_pem() const;

 private:
  struct Pool;
  LabCa ca_;
  // The pool outlives the routers: their sockets and timers belong to its
  // contexts. ~Fleet stops (joins) it first, so no handler outlives a router.
  std::unique_ptr<Pool> pool_;
  std::vector<Router> routers_;
  bool running_ = false;
};

// N routers from `variants` (router i is variants[i % size]), router i on
// the i-th address from `first` (IPv4 or IPv6), named "<identity>-<i+1>"
// with the number zero-padded to the width of N. Throws vantage::Error when
// the range runs out of addresses.
std::vector<LabConfig> fleet_configs(const std::vector<LabConfig>& variants, std::size_t n,
                                     const std::string& first);

}  // namespace vantage::lab
