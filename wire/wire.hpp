#pragma once
// The wire's event loop: one thread polls the queue socket, a signalfd and
// the next release time; packets are dropped on arrival (loss, bound) or
// accepted when due. The rules go in only after every queue is bound, and
// come out before the held packets are let go.
#include <functional>
#include <string>
#include <vector>

#include "wire/lane.hpp"
#include "wire/nfqueue.hpp"
#include "wire/params.hpp"

namespace vantage::wire {

struct LaneReport {
  std::string name;  // ingress, egress, loopback
  Impairment impairment;
  LaneStats stats;
  KernelQueueStats kernel;  // drops the kernel made before we saw the packet
};

struct WireReport {
  std::vector<LaneReport> lanes;
  std::uint64_t overruns = 0;
  int signal = 0;  // what stopped it; 0 when --duration ran out
};

// Runs in the current network namespace until SIGINT/SIGTERM or
// cfg.duration. Calls `ready` once traffic flows through the queues.
WireReport run(const WireConfig& cfg, const std::function<void()>& ready);

}  // namespace vantage::wire
