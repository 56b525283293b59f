// Parsing of tcp checks: every outcome name, lists and "not-open", and a bad
// outcome name as a located error with a suggestion.
#include <gtest/gtest.h>

#include "probes/tcp_probe.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using net::TcpOutcome;
using testing::parse_check;

std::vector<TcpOutcome> accepted(const testing::ParsedCheck& p) {
  return static_cast<const TcpSpec&>(*p.spec).accept;
}

TEST(TcpParse, EveryOutcomeName) {
  for (const auto& name : net::tcp_outcome_names()) {
    auto p = parse_check("tcp", R"({"expect": ")" + name + "\"}");
    ASSERT_TRUE(p.ok()) << name << ": " << p.errors();
    EXPECT_EQ(accepted(p), std::vector<TcpOutcome>{*net::tcp_outcome_from(name)}) << name;
    EXPECT_EQ(p.spec->expected(), name);
  }
}

TEST(TcpParse, NotOpenIsEveryOutcomeButOpen) {
  auto p = parse_check("tcp", R"({"expect": "not-open"})");
  ASSERT_TRUE(p.ok()) << p.errors();
  const auto a = accepted(p);
  EXPECT_EQ(std::count(a.begin(), a.end(), TcpOutcome::kOpen), 0);
  EXPECT_EQ(a.size(), net::tcp_outcome_names().size() - 1);
}

TEST(TcpParse, AListAcceptsAnyOfItsOutcomes) {
  auto p = parse_check("tcp", R"({"expect": ["closed", "filtered"], "settle_ms": 50})");
  ASSERT_TRUE(p.ok()) << p.errors();
  EXPECT_EQ(accepted(p), (std::vector<TcpOutcome>{TcpOutcome::kClosed, TcpOutcome::kFiltered}));
  EXPECT_EQ(p.spec->expected(), "closed or filtered");
  EXPECT_EQ(static_cast<const TcpSpec&>(*p.spec).settle, std::chrono::milliseconds(50));
}

TEST(TcpParse, BadOutcomeNameIsALocatedErrorWithASuggestion) {
  auto p = parse_check("tcp", "{\n  \"expect\": \"filterd\"\n}");
  ASSERT_EQ(p.diags.size(), 1u) << p.errors();
  const Diagnostic& d = p.diags[0];
  EXPECT_EQ(d.path, "expect");
  EXPECT_EQ(d.line, 2) << d.to_string();
  EXPECT_GT(d.column, 0) << d.to_string();
  EXPECT_NE(d.message.find("did you mean \"filtered\""), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("Valid outcomes"), std::string::npos) << d.message;
}

TEST(TcpParse, BadEntryInAListIsLocatedAtItsIndex) {
  auto p = parse_check("tcp", R"({"expect": ["open", "opne"]})");
  EXPECT_TRUE(p.has_error("expect[1]", "did you mean \"open\"")) << p.errors();
  auto empty = parse_check("tcp", R"({"expect": []})");
  EXPECT_TRUE(empty.has_error("expect", "name at least one outcome")) << empty.errors();
  auto number = parse_check("tcp", R"({"expect": 22})");
  EXPECT_TRUE(number.has_error("expect", "expected an outcome name")) << number.errors();
  auto missing = parse_check("tcp", R"({"settle_ms": 10})");
  EXPECT_TRUE(missing.has_error("expect", "missing \"expect\"")) << missing.errors();
}

}  // namespace
}  // namespace vantage::probes
