// The verdict rule and the run's arithmetic: what every report and exit code
// rests on.
#include <gtest/gtest.h>

#include <string>

#include "results/result.hpp"

namespace vantage::results {
namespace {

struct Seen final : Observation {
  json evidence() const override { return json::object(); }
};

// A spec whose own judgement is fixed, so the rule around it is what is tested.
class Fixed final : public CheckSpec {
 public:
  explicit Fixed(Status s) : s_(s) {}
  Verdict judge(const Observation&) const override { return {s_, "as judged", "closed", "closed"}; }
  json expected() const override { return "closed"; }

 private:
  Status s_;
};

TEST(Decide, APassOnCompleteEvidenceStands) {
  Seen obs;
  EXPECT_EQ(decide(Fixed(Status::kPass), obs).status, Status::kPass);
}

TEST(Decide, AnObservationErrorTurnsAPassIntoAnError) {
  Seen obs;
  obs.error = "connect: no route";
  auto v = decide(Fixed(Status::kPass), obs);
  EXPECT_EQ(v.status, Status::kError);
  EXPECT_EQ(v.observed, "error");
  EXPECT_NE(v.message.find("no route"), std::string::npos);
}

TEST(Decide, MissingEvidenceTurnsAPassIntoAnErrorNamingEveryGap) {
  Seen obs;
  obs.unknowns = {"TLS 1.0 not answered", "cipher list cut short"};
  auto v = decide(Fixed(Status::kPass), obs);
  EXPECT_EQ(v.status, Status::kError);
  EXPECT_EQ(v.observed, "unknown");
  EXPECT_NE(v.message.find("TLS 1.0 not answered; cipher list cut short"), std::string::npos);
}

TEST(Decide, AFailureOnSeenEvidenceStaysAFailure) {
  Seen obs;
  obs.unknowns = {"one version not answered"};
  EXPECT_EQ(decide(Fixed(Status::kFail), obs).status, Status::kFail);
  EXPECT_EQ(decide(Fixed(Status::kSkip), obs).status, Status::kSkip);
}

CheckResult with(Status s) {
  CheckResult r;
  r.verdict.status = s;
  return r;
}

TEST(Counts, CountEveryStatusOnceWhereverTheyAreCounted) {
  RunReport r;
  r.scenarios.resize(2);
  r.scenarios[0].results = {with(Status::kPass), with(Status::kFail), with(Status::kError)};
  r.scenarios[1].results = {with(Status::kPass), with(Status::kSkip)};
  auto c = r.counts();
  EXPECT_EQ(c.pass, 2);
  EXPECT_EQ(c.fail, 1);
  EXPECT_EQ(c.error, 1);
  EXPECT_EQ(c.skip, 1);
  EXPECT_EQ(c.total(), 5);
  std::vector<const CheckResult*> some = {&r.scenarios[0].results[1], &r.scenarios[1].results[0]};
  auto s = count(some);
  EXPECT_EQ(s.fail, 1);
  EXPECT_EQ(s.pass, 1);
  EXPECT_EQ(s.total(), 2);
}

TEST(ExitCode, FollowsDesign) {
  RunReport r;
  EXPECT_EQ(exit_code_for(r), 2) << "nothing tested is never 0";
  r.scenarios.resize(1);
  r.scenarios[0].results.push_back(with(Status::kSkip));
  EXPECT_EQ(exit_code_for(r), 2) << "all skipped is never 0";
  r.scenarios[0].results[0].verdict.status = Status::kPass;
  EXPECT_EQ(exit_code_for(r), 0);
  r.scenarios[0].results.push_back(with(Status::kError));
  EXPECT_EQ(exit_code_for(r), 2);
  r.permission_errors.push_back("CAP_NET_RAW");
  EXPECT_EQ(exit_code_for(r), 77);
  r.scenarios[0].results.push_back(with(Status::kFail));
  EXPECT_EQ(exit_code_for(r), 1);
}

}  // namespace
}  // namespace vantage::results
