// The scheduler and verdict plumbing, with a probe that records how many of
// its sessions are in flight (no network needed for these properties), plus
// the exit-code rules.
#include "engine/engine.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <thread>

#include "tests/support/topology.hpp"

using namespace vantage;

namespace {

struct CountingObservation : results::Observation {
  json evidence() const override { return json::object(); }
};

class CountingSpec final : public results::CheckSpec {
 public:
  explicit CountingSpec(int fds = 3, int connections = 1) : fds_(fds), connections_(connections) {}
  int fds() const override { return fds_; }
  int connections() const override { return connections_; }
  results::Verdict judge(const results::Observation& o) const override {
    if (!o.error.empty()) return {results::Status::kPass, "a buggy judge", "x", "x"};
    return {results::Status::kPass, "ok", "x", "x"};
  }
  json expected() const override { return "x"; }

 private:
  int fds_, connections_;
};

class CountingProbe final : public probes::Probe {
 public:
  explicit CountingProbe(bool session, bool fail_to_observe = false)
      : session_(session), fail_(fail_to_observe) {}
  std::string_view name() const override { return "counting"; }
  std::string_view summary() const override { return "test"; }
  bool holds_session() const override { return session_; }
  json schema() const override { return json::object(); }
  std::unique_ptr<results::CheckSpec> parse(const json&, const JsonPath&, Diagnostics&,
                                            const probes::ParseEnv&) const override {
    return std::make_unique<CountingSpec>();
  }
  std::unique_ptr<results::Observation> observe(const probes::ProbeContext&) const override {
    int now = ++inflight_;
    int seen = peak_.load();
    while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    --inflight_;
    auto o = std::make_unique<CountingObservation>();
    if (fail_) o->error = "could not connect";
    return o;
  }
  mutable std::atomic<int> inflight_{0}, peak_{0};

 private:
  bool session_, fail_;
};

scenarios::Scenario plan_of(const CountingProbe& p, int checks, int targets, int fds = 3,
                            int connections = 1) {
  scenarios::Scenario sc;
  sc.name = "t";
  sc.sources.push_back(net::SourceSpec{"here", std::nullopt, std::nullopt, std::nullopt});
  for (int t = 0; t < targets; ++t)
    sc.targets.push_back({"t" + std::to_string(t), "192.0.2." + std::to_string(t + 1), ""});
  for (int i = 0; i < checks; ++i) {
    scenarios::Check c;
    c.common.id = "c" + std::to_string(i);
    c.common.probe = "counting";
    c.common.from = {"here"};
    c.probe = &p;
    c.spec = std::make_shared<CountingSpec>(fds, connections);
    sc.checks.push_back(std::move(c));
  }
  return sc;
}

}  // namespace

TEST(Engine, SessionProbesRespectThePerTargetCap) {
  CountingProbe p(true);
  auto sc = plan_of(p, 24, 1);
  sc.max_per_target = 3;
  engine::EngineOptions opt;
  opt.jobs = 16;
  auto report = engine::run({sc}, opt);
  EXPECT_EQ(report.counts().pass, 24);
  EXPECT_LE(p.peak_.load(), 3);
  EXPECT_GE(p.peak_.load(), 2);  // and it does run them concurrently
}

TEST(Engine, CapIsPerTargetNotGlobal) {
  CountingProbe p(true);
  auto sc = plan_of(p, 12, 3);
  sc.max_per_target = 2;
  engine::EngineOptions opt;
  opt.jobs = 16;
  auto report = engine::run({sc}, opt);
  EXPECT_EQ(report.counts().pass, 36);
  EXPECT_GT(p.peak_.load(), 2);
  EXPECT_LE(p.peak_.load(), 6);
}

TEST(Engine, JobsCapsEverything) {
  CountingProbe p(false);
  auto sc = plan_of(p, 40, 1);
  engine::EngineOptions opt;
  opt.jobs = 5;
  engine::run({sc}, opt);
  EXPECT_LE(p.peak_.load(), 5);
}

TEST(Engine, AnObservationErrorIsNeverAPass) {
  CountingProbe p(false, /*fail_to_observe=*/true);
  auto report = engine::run({plan_of(p, 2, 1)}, {});
  EXPECT_EQ(report.counts().error, 2);
  EXPECT_EQ(report.counts().pass, 0);
  EXPECT_EQ(results::exit_code_for(report), 2);
}

TEST(Engine, OnlyAndSkip) {
  CountingProbe p(false);
  auto sc = plan_of(p, 3, 1);
  sc.checks[2].skip_reason = "not on this firmware";
  engine::EngineOptions opt;
  opt.only = {"c1", "c2"};
  auto report = engine::run({sc}, opt);
  ASSERT_EQ(report.scenarios[0].results.size(), 2u);
  EXPECT_EQ(report.counts().pass, 1);
  EXPECT_EQ(report.counts().skip, 1);
}

// Progress is a record per finished check, one call at a time, in order:
// done counts up to the total, errors as they happen, a target done when all
// its checks are (with one job, the plan's order: t0's three first).
TEST(Engine, ReportsProgressAfterEveryCheck) {
  CountingProbe p(false, /*fail_to_observe=*/true);
  engine::EngineOptions opt;
  opt.jobs = 1;
  std::vector<engine::Progress> seen;
  opt.on_progress = [&](const engine::Progress& pr) { seen.push_back(pr); };
  engine::run({plan_of(p, 3, 2)}, opt);
  ASSERT_EQ(seen.size(), 6u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].done, static_cast<int>(i + 1));
    EXPECT_EQ(seen[i].total, 6);
    EXPECT_EQ(seen[i].error, static_cast<int>(i + 1));
    EXPECT_EQ(seen[i].fail, 0);
    EXPECT_EQ(seen[i].targets, 2);
    EXPECT_EQ(seen[i].targets_done, i < 2 ? 0 : i < 5 ? 1 : 2) << i;
    if (i) {
      EXPECT_GE(seen[i].elapsed, seen[i - 1].elapsed);
    }
  }
  // Many workers: still one record per check, never two at once.
  CountingProbe q(false);
  opt.jobs = 8;
  seen.clear();
  std::atomic<int> inside{0}, overlap{0};
  opt.on_progress = [&](const engine::Progress& pr) {
    if (++inside > 1) ++overlap;
    seen.push_back(pr);
    --inside;
  };
  engine::run({plan_of(q, 10, 3)}, opt);
  ASSERT_EQ(seen.size(), 30u);
  EXPECT_EQ(overlap.load(), 0);
  EXPECT_EQ(seen.back().done, 30);
  EXPECT_EQ(seen.back().targets_done, 3);
  EXPECT_EQ(seen.back().error, 0);
}

// Many checks under a small RLIMIT_NOFILE queue instead of failing.
TEST(Engine, QueuesUnderALowFileLimit) {
  vantage::testing::TcpListener l("", "127.0.0.1", 0, false);
  vantage::testing::TempDir tmp;
  std::string checks;
  for (int i = 0; i < 60; ++i)
    checks += std::string(i ? "," : "") + R"({"id": "c)" + std::to_string(i) +
              R"(", "probe": "tcp", "port": )" + std::to_string(l.port()) +
              R"(, "from": "lo", "expect": "open"})";
  tmp.write("s.json",
            R"({"vantage": 1, "target": "127.0.0.1", "sources": {"lo": {"address": "127.0.0.1"}},
    "checks": [)" +
                checks + "]}");
  std::string out, err;
  int rc =
      vantage::testing::run_vantage({"run", tmp.file("s.json"), "--jobs", "500", "-q"}, &out, &err);
  ASSERT_EQ(rc, 0) << out << err;
  // Now with only 80 descriptors: the budget shrinks, nothing fails.
  const std::string cmd = std::string("prlimit --nofile=80:80 ") + VANTAGE_BINARY + " run " +
                          tmp.file("s.json") + " --jobs 500 -q";
  EXPECT_EQ(vantage::testing::sh_status(cmd), 0) << vantage::testing::sh(cmd + " || true");
}

// A check that holds many descriptors (a TLS scan: 9) counts them against
// the open-files limit: with 200 (136 after the reserve) and 40 each, at most
// three run at once, whatever --jobs says, and none fails.
TEST(Engine, ChecksThatHoldManyFdsShareTheOpenFilesLimit) {
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low{200, 200};
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  CountingProbe p(false);
  auto sc = plan_of(p, 30, 1, 40);
  engine::EngineOptions opt;
  opt.jobs = 16;
  auto report = engine::run({sc}, opt);
  setrlimit(RLIMIT_NOFILE, &old);  // back up only as root; harmless otherwise
  EXPECT_EQ(report.counts().pass, 30);
  EXPECT_LE(p.peak_.load(), 3);
  EXPECT_GE(p.peak_.load(), 2);
}

// A check that holds more connections than the per-target cap (a TLS scan
// holds 8; here 16 against a cap of 4) takes the whole cap: it runs alone on
// its target, so a router's session limit it may trip never refuses another
// check's session.
TEST(Engine, AScanThatFillsTheSessionCapRunsAloneOnItsTarget) {
  CountingProbe p(true);
  auto sc = plan_of(p, 8, 1, 17, 16);
  sc.max_per_target = 4;
  engine::EngineOptions opt;
  opt.jobs = 16;
  auto report = engine::run({sc}, opt);
  EXPECT_EQ(report.counts().pass, 8);
  EXPECT_EQ(p.peak_.load(), 1);
}
