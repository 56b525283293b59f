#pragma once
// The worker pool: bounded threads that take tasks in plan order, the first
// whose target has room under its session cap for the task's connections
// (CheckSpec::connections: a TLS scan's many take the whole cap, so it runs
// alone on its target), so a worker never blocks on a full target while
// other work waits.
#include <functional>
#include <vector>

#include "engine/plan.hpp"

namespace vantage::engine {

// Runs every task with `run` on at most min(jobs, the fd budget, 1024, tasks)
// threads (jobs 0: no cap of its own, the open-files limit sizes the pool),
// and only as many at once as the open-files limit holds by each check's
// CheckSpec::fds() (a TLS scan holds 9); returns when all are done.
void run_pool(std::vector<Task> tasks, int jobs, const std::function<void(const Task&)>& run);

}  // namespace vantage::engine
