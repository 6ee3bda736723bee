// The shared check helpers: the "faults have been quiet long enough" gate and the
// violation builder.
#include <gtest/gtest.h>

#include "check/quiet_period.h"
#include "check/violation.h"
#include "support/fake_checker_view.h"
#include "support/node_cluster.h"

namespace dsim {
namespace {

TEST(QuietPeriod, SettledOnceQuietForTheBoundAtTheEnd) {
  Cluster c = testing::node_cluster(3);
  testing::FakeCheckerView view(c);
  view.set_end(10'000, 8'000);  // quiet for 2 s
  ASSERT_TRUE(settled_for(view, Duration::seconds(2)).has_value());  // exactly the bound: settled
  EXPECT_EQ(*settled_for(view, Duration::seconds(2)), Duration::seconds(2));
  EXPECT_EQ(*settled_for(view, Duration::millis(700)), Duration::seconds(2));  // how long, not the bound
  EXPECT_FALSE(settled_for(view, Duration::millis(2001)).has_value());
}

TEST(QuietPeriod, NotSettledWhileAFaultIsInEffect) {
  Cluster c = testing::node_cluster(3);
  testing::FakeCheckerView view(c);
  view.set_end(10'000, -1);  // faults_quiet_since() == Instant::max()
  EXPECT_FALSE(settled_for(view, Duration::zero()).has_value());
}

TEST(QuietPeriod, NeverJudgesARunCutShort) {
  Cluster c = testing::node_cluster(3);
  testing::FakeCheckerView view(c);
  view.set_end(10'000, 0, /*ran_to_end=*/false);
  EXPECT_FALSE(settled_for(view, Duration::millis(1)).has_value());
}

TEST(ViolationReport, FillsEveryField) {
  Violation v = violation("settled_view", Instant{42}, {"n0", "n1"}, "n0 still suspects n1",
                          Json::object({{"round", 3}}));
  EXPECT_EQ(v.check, "settled_view");
  EXPECT_EQ(v.at, Instant{42});
  EXPECT_EQ(v.nodes, (std::vector<std::string>{"n0", "n1"}));
  EXPECT_EQ(v.message, "n0 still suspects n1");
  EXPECT_EQ(v.details, Json::object({{"round", 3}}));
  EXPECT_EQ(violation("x", Instant{0}, {}, "m").details, Json::object());  // no details: {}
}

}  // namespace
}  // namespace dsim
