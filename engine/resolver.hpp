#pragma once
// Resolves each target once per (name, source namespace, family), before any
// check's deadline starts: a slow resolver must not eat the time a SYN needs.
// The first check to ask bounds the lookup by min(5 s, its timeout); the
// others for the same key wait for that result.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "net/resolve.hpp"
#include "net/source.hpp"
#include "results/verdict.hpp"

namespace vantage::engine {

class Resolver {
 public:
  net::Resolution get(const results::Target& target, const net::SourceSpec* src,
                      std::chrono::milliseconds timeout);

 private:
  struct Entry {
    std::once_flag once;
    net::Resolution result;
  };
  std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::shared_ptr<Entry>> cache_;
};

}  // namespace vantage::engine
