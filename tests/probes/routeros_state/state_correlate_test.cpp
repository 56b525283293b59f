// Correlation of the router's log with this run's connections: a drop logged
// for every API connection from outside the management range passes; a
// missing one fails; a drop of an inside connection fails; and a run with no
// outside connection at all is an error, never a pass (a quiet log proves
// nothing when nothing was sent).
#include <gtest/gtest.h>

#include <ctime>

#include "probes/routeros_state/routeros_state_probe.hpp"
#include "results/verdict.hpp"

namespace vantage::probes {
namespace {

using Clock = std::chrono::system_clock;

RouterosStateSpec spec() {
  RouterosStateSpec s;
  s.aspect = Aspect::kCorrelation;
  s.expect_word = "correlation";
  s.mgmt_range = "198.51.100.0/24";
  return s;
}

// "YYYY-MM-DD", "HH:MM:SS" of `t` in UTC.
std::pair<std::string, std::string> utc(Clock::time_point t) {
  const std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char d[16], h[16];
  std::strftime(d, sizeof d, "%Y-%m-%d", &tm);
  std::strftime(h, sizeof h, "%H:%M:%S", &tm);
  return {d, h};
}

// A router whose clock agrees with ours and whose log holds `lines`, each
// written `ago` before now.
StateObservation observed(const std::vector<std::string>& lines) {
  StateObservation o;
  o.remote = "203.0.113.1:8729";
  const auto now = Clock::now();
  const auto [date, time] = utc(now);
  o.state.menus["/system/clock"] =
      Menu{{{{"date", date}, {"time", time}, {"gmt-offset", "+00:00"}}}, true};
  std::vector<Row> log;
  for (const auto& m : lines) log.push_back({{"time", time}, {"message", m}});
  o.state.menus["/log"] = Menu{log, true};
  o.state.skew = std::chrono::seconds(0);
  return o;
}

RunState::Conn conn(const std::string& local, const std::string& remote) {
  return {local, remote, Clock::now() - std::chrono::seconds(1)};
}

TEST(StateCorrelation, AnOutsideConnectionLoggedAsADropPasses) {
  auto o =
      observed({"DROP API: input: in:ether1 out:(unknown 0), proto TCP (SYN), "
                "192.0.2.66:40000->203.0.113.1:8729, len 60"});
  o.run_conns.push_back(conn("192.0.2.66:40000", "203.0.113.1:8729"));
  const auto v = results::decide(spec(), o);
  EXPECT_EQ(v.status, results::Status::kPass) << v.message;
  // One connection: the count and its noun agree.
  EXPECT_NE(v.message.find("[1 of 1 API connection from outside 198.51.100.0/24 logged as drops"),
            std::string::npos)
      << v.message;
}

TEST(StateCorrelation, AnOutsideConnectionMissingFromTheLogFails) {
  auto o = observed({"DROP API: input: proto TCP (SYN), 192.0.2.66:40001->203.0.113.1:8729"});
  o.run_conns.push_back(conn("192.0.2.66:40000", "203.0.113.1:8729"));
  const auto v = results::decide(spec(), o);
  EXPECT_EQ(v.status, results::Status::kFail) << v.message;
  EXPECT_NE(v.message.find("has no \"DROP API: \" line"), std::string::npos) << v.message;
  // The finding is a record: what kind, which connection, the command that fixes it.
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].kind, "unlogged API connection");
  EXPECT_EQ(v.findings[0].item, "192.0.2.66:40000->203.0.113.1:8729");
  EXPECT_NE(v.findings[0].fix.find("log=yes"), std::string::npos) << v.findings[0].fix;
  EXPECT_FALSE(v.findings[0].info);
}

TEST(StateCorrelation, AnInsideConnectionThatWasDroppedFails) {
  auto o = observed({"DROP API: input: 192.0.2.66:40000->203.0.113.1:8729",
                     "DROP API: input: 198.51.100.10:50000->203.0.113.1:8729"});
  o.run_conns.push_back(conn("192.0.2.66:40000", "203.0.113.1:8729"));
  o.run_conns.push_back(conn("198.51.100.10:50000", "203.0.113.1:8729"));
  const auto v = results::decide(spec(), o);
  EXPECT_EQ(v.status, results::Status::kFail) << v.message;
  EXPECT_NE(v.message.find("although 198.51.100.10 is in the management range"), std::string::npos)
      << v.message;
}

TEST(StateCorrelation, ARunWithNoOutsideConnectionIsAnErrorNotAPass) {
  auto o = observed({});
  o.run_conns.push_back(conn("198.51.100.10:50000", "203.0.113.1:8729"));  // inside only
  const auto v = results::decide(spec(), o);
  EXPECT_EQ(v.status, results::Status::kError) << v.message;
  EXPECT_NE(v.message.find("no connection to the API ports from outside"), std::string::npos)
      << v.message;
}

TEST(StateCorrelation, AnUnreadLogIsAnErrorNotAPass) {
  auto o = observed({});
  o.state.menus["/log"].read = false;
  o.unknowns.push_back("/log was not read whole: more than 10000 rows");
  o.run_conns.push_back(conn("192.0.2.66:40000", "203.0.113.1:8729"));
  const auto v = results::decide(spec(), o);
  EXPECT_EQ(v.status, results::Status::kError) << v.message;
}

}  // namespace
}  // namespace vantage::probes
