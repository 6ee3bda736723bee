// The unit tests' fake view shows a checker the events a run would show it: those of the
// kinds it chose (Checker::event_kinds), as the run's routing (check/checker_routes.h)
// does, so a check that reads a kind its list leaves out fails its unit tests too.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "check/checker_routes.h"
#include "core/fault_events.h"
#include "core/json.h"
#include "support/fake_checker_view.h"
#include "support/node_cluster.h"

namespace dsim {
namespace {

struct Granted {
  static constexpr std::string_view kName = "granted";
  void write_fields(Json&) const {}
};
struct Released {
  static constexpr std::string_view kName = "released";
  void write_fields(Json&) const {}
};

// Writes down the name of every event it is shown.
class Recorder final : public Checker {
 public:
  explicit Recorder(std::vector<const PayloadKind*> kinds) : kinds_(std::move(kinds)) {}
  std::string_view name() const override { return "recorder"; }
  std::vector<const PayloadKind*> event_kinds() const override { return kinds_; }
  void observe(const Observation& o, CheckerView&) override { seen.emplace_back(o.event); }

  std::vector<std::string> seen;

 private:
  std::vector<const PayloadKind*> kinds_;
};

TEST(FakeCheckerView, ShowsACheckerOnlyTheKindsItChose) {
  Cluster cluster = testing::node_cluster(2);
  testing::FakeCheckerView view(cluster);
  Recorder chose(kinds_of<Granted, fault_events::Crash>());
  Recorder every({});
  for (Checker* c : std::vector<Checker*>{&chose, &every}) {
    view.feed(*c, 1, "n0", Granted{});
    view.feed(*c, 2, "n0", Released{});
    view.fault(*c, 3, "n1", "crash");
    view.fault(*c, 4, "n1", "restart");
    view.feed_json(*c, 5, "n0", "granted");
    view.feed_json(*c, 6, "n0", "released");
  }
  EXPECT_EQ(chose.seen, (std::vector<std::string>{"granted", "crash", "granted"}));
  EXPECT_EQ(every.seen,
            (std::vector<std::string>{"granted", "released", "crash", "restart", "granted", "released"}));
}

TEST(FakeCheckerView, FeedsSeveralCheckersEachWhatItChose) {
  Cluster cluster = testing::node_cluster(2);
  testing::FakeCheckerView view(cluster);
  Recorder granted(kinds_of<Granted>());
  Recorder released(kinds_of<Released>());
  std::vector<Checker*> both{&granted, &released};
  view.feed_all(both, 1, "n0", Granted{});
  view.feed_all(both, 2, "n0", Released{});
  view.fault_all(both, 3, "n1", "crash");
  EXPECT_EQ(granted.seen, std::vector<std::string>{"granted"});
  EXPECT_EQ(released.seen, std::vector<std::string>{"released"});
}

// The fake view's rule is the run's: for every checker and kind, shown() agrees with the
// route the simulator would take.
TEST(FakeCheckerView, AgreesWithTheRunsRoutes) {
  Recorder granted(kinds_of<Granted>());
  Recorder crash_and_released(kinds_of<fault_events::Crash, Released>());
  Recorder every({});
  std::vector<Checker*> checkers{&granted, &crash_and_released, &every};
  CheckerRoutes routes;
  for (Checker* c : checkers) routes.add(c);
  const Granted g;
  const Released r;
  const fault_events::Crash crash;
  const fault_events::Restart restart;
  const Json no_fields = Json::object();
  for (PayloadRef event : {PayloadRef::to(g), PayloadRef::to(r), PayloadRef::to(crash), PayloadRef::to(restart)}) {
    const std::vector<Checker*> route = routes.to(event.kind());
    Observation typed(Instant::zero(), Instant::zero(), event, 0, 0);
    // A test's JSON event of the same name, either origin, counts as that kind.
    Observation json_protocol(Instant::zero(), Instant::zero(), event.name(), 0, no_fields, true, 1);
    Observation json_simulator(Instant::zero(), Instant::zero(), event.name(), 0, no_fields, false, 2);
    for (Checker* c : checkers) {
      bool routed = std::find(route.begin(), route.end(), c) != route.end();
      EXPECT_EQ(testing::FakeCheckerView::shown(*c, typed), routed) << event.name();
      EXPECT_EQ(testing::FakeCheckerView::shown(*c, json_protocol), routed) << event.name();
      EXPECT_EQ(testing::FakeCheckerView::shown(*c, json_simulator), routed) << event.name();
    }
  }
  // A JSON event of a name no kind has reaches only the checker that chose none.
  Observation unknown(Instant::zero(), Instant::zero(), "unknown", 0, no_fields, true, 3);
  EXPECT_FALSE(testing::FakeCheckerView::shown(granted, unknown));
  EXPECT_FALSE(testing::FakeCheckerView::shown(crash_and_released, unknown));
  EXPECT_TRUE(testing::FakeCheckerView::shown(every, unknown));
}

}  // namespace
}  // namespace dsim
