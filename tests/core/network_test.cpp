// Network semantics: partitions cut exactly the directions they name, heal restores,
// in-flight messages across a cut are dropped, and loss, duplication and latency follow
// their configured distributions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "net/latency_model.h"
#include "net/llround_nonnegative.h"
#include "probe_process.h"

namespace dsim {
namespace {

using testing::ProbeLog;
using testing::make_probe_sim;
using testing::probe_message;

SimulationConfig config_with(LinkConfig link, uint64_t seed = 1) {
  SimulationConfig c;
  c.seed = seed;
  c.link_defaults = std::move(link);
  c.limits.end = Instant{Duration::seconds(100).ns};
  return c;
}

// The plan entry a "m" message came from.
int64_t seq_of(const testing::Received& r) { return r.message.as<testing::ProbeMessage<"m">>()->seq; }

// Every node sends one message to every other node at `after`.
void plan_all_pairs(ProbeLog& log, size_t n, Duration after) {
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = 0; b < n; ++b) {
      if (a != b) log.plan.push_back({after, a, b, probe_message<"hello">});
    }
  }
}

bool got(const ProbeLog& log, NodeId from, NodeId to) {
  for (const auto& r : log.received) {
    if (r.from == from && r.to == to) return true;
  }
  return false;
}

Cut groups(size_t n, std::vector<std::vector<NodeId>> gs) {
  Cut c;
  c.kind = Cut::Kind::kGroups;
  c.group_of.assign(n, static_cast<int32_t>(gs.size()));
  for (size_t g = 0; g < gs.size(); ++g) {
    for (NodeId x : gs[g]) c.group_of[x] = static_cast<int32_t>(g);
  }
  return c;
}

TEST(Network, SymmetricPartitionBlocksExactlyAcrossGroups) {
  ProbeLog log;
  plan_all_pairs(log, 4, Duration::seconds(1));
  auto sim = make_probe_sim(4, log, config_with(testing::constant_link(Duration::millis(5))));
  sim->at(Instant{Duration::millis(500).ns}, [&] { sim->partition(groups(4, {{0, 1}}), PayloadRef()); });
  sim->run();
  for (NodeId a = 0; a < 4; ++a) {
    for (NodeId b = 0; b < 4; ++b) {
      if (a == b) continue;
      bool same_side = (a < 2) == (b < 2);
      EXPECT_EQ(got(log, a, b), same_side) << a << "->" << b;
    }
  }
}

TEST(Network, OneWayCutBlocksOnlyThatDirection) {
  ProbeLog log;
  plan_all_pairs(log, 3, Duration::seconds(1));
  auto sim = make_probe_sim(3, log, config_with(testing::constant_link(Duration::millis(5))));
  sim->at(Instant{0}, [&] {
    Cut c;
    c.kind = Cut::Kind::kOneWay;
    c.from = NodeSet::of(3, {0});
    c.to = NodeSet::of(3, {1});
    sim->partition(std::move(c), PayloadRef());
  });
  sim->run();
  EXPECT_FALSE(got(log, 0, 1));
  EXPECT_TRUE(got(log, 1, 0));
  EXPECT_TRUE(got(log, 0, 2));
  EXPECT_TRUE(got(log, 2, 1));
}

TEST(Network, HealRestoresEveryLink) {
  ProbeLog log;
  plan_all_pairs(log, 3, Duration::seconds(2));
  auto sim = make_probe_sim(3, log, config_with(testing::constant_link(Duration::millis(5))));
  uint64_t cut = 0;
  sim->at(Instant{0}, [&] { cut = sim->partition(groups(3, {{0}}), PayloadRef()); });
  sim->at(Instant{Duration::seconds(1).ns}, [&] { sim->heal(cut); });
  sim->run();
  EXPECT_EQ(log.received.size(), 6u);
  EXPECT_EQ(sim->network().active_cuts(), 0u);
}

TEST(Network, MessageInFlightAcrossANewCutIsDropped) {
  ProbeLog log;
  log.plan.push_back({Duration::millis(100), 0, 1, probe_message<"late">});
  auto sim = make_probe_sim(2, log, config_with(testing::constant_link(Duration::millis(50))));
  // Sent at 100ms, would arrive at 150ms; the cut comes at 120ms and heals at 200ms.
  uint64_t cut = 0;
  sim->at(Instant{Duration::millis(120).ns}, [&] { cut = sim->partition(groups(2, {{0}}), PayloadRef()); });
  sim->at(Instant{Duration::millis(200).ns}, [&] { sim->heal(cut); });
  RunResult r = sim->run();
  EXPECT_TRUE(log.received.empty());
  EXPECT_EQ(r.metrics["sim"]["dropped_partition"], 1);
}

TEST(Network, MessageAlreadyDeliveredBeforeTheCutIsKept) {
  ProbeLog log;
  log.plan.push_back({Duration::millis(100), 0, 1, probe_message<"early">});
  auto sim = make_probe_sim(2, log, config_with(testing::constant_link(Duration::millis(10))));
  sim->at(Instant{Duration::millis(120).ns}, [&] { sim->partition(groups(2, {{0}}), PayloadRef()); });
  sim->run();
  ASSERT_EQ(log.received.size(), 1u);
  EXPECT_EQ(log.received[0].at.ns, Duration::millis(110).ns);
}

// Sends `count` messages 0 -> 1 and returns what arrived.
std::vector<testing::Received> blast(LinkConfig link, int count, uint64_t seed = 3) {
  ProbeLog log;
  for (int i = 0; i < count; ++i) log.plan.push_back({Duration::millis(1), 0, 1, probe_message<"m">});
  auto sim = make_probe_sim(2, log, config_with(std::move(link), seed));
  sim->run();
  return log.received;
}

TEST(Network, LossRateMatchesItsProbability) {
  LinkConfig link = testing::constant_link(Duration::millis(1));
  link.loss = 0.2;
  constexpr int kCount = 20000;
  double delivered = static_cast<double>(blast(link, kCount).size());
  // Binomial: sd = sqrt(n p (1-p)) = 56.6; allow 5 sd.
  EXPECT_NEAR(delivered, kCount * 0.8, 5 * 56.6);
}

TEST(Network, DuplicationRateMatchesItsProbabilityAndKeepsIds) {
  LinkConfig link = testing::constant_link(Duration::millis(1));
  link.duplicate = 0.1;
  constexpr int kCount = 20000;
  auto got = blast(link, kCount);
  double extra = static_cast<double>(got.size()) - kCount;
  EXPECT_NEAR(extra, kCount * 0.1, 5 * 42.4);
}

TEST(Network, LatencyDistributionsHaveTheirMeans) {
  struct Case {
    LatencyModel::Kind kind;
    Duration value, max;
    double shape;
  };
  const Case cases[] = {
      {LatencyModel::Kind::kConstant, Duration::millis(7), {}, 0},
      {LatencyModel::Kind::kUniform, Duration::millis(1), Duration::millis(10), 0},
      {LatencyModel::Kind::kExponential, Duration::millis(4), {}, 0},
      {LatencyModel::Kind::kLognormal, Duration::millis(3), {}, 0.5},
      {LatencyModel::Kind::kPareto, Duration::millis(2), {}, 3.0},
  };
  for (const Case& c : cases) {
    LinkConfig link;
    link.latency.kind = c.kind;
    link.latency.value = c.value;
    link.latency.max = c.max;
    link.latency.shape = c.shape;
    constexpr int kCount = 20000;
    auto got = blast(link, kCount);
    ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
    double sum = 0;
    for (const auto& r : got) sum += static_cast<double>(r.at.ns - Duration::millis(1).ns);
    double mean = sum / kCount;
    EXPECT_NEAR(mean / link.latency.mean_ns(), 1.0, 0.03) << static_cast<int>(c.kind);
  }
}

TEST(Network, ReorderingFollowsFromLatency) {
  LinkConfig link;
  link.latency.kind = LatencyModel::Kind::kUniform;
  link.latency.value = Duration::millis(1);
  link.latency.max = Duration::millis(50);
  ProbeLog log;
  for (int i = 0; i < 50; ++i) log.plan.push_back({Duration::millis(i), 0, 1, probe_message<"m">});
  auto sim = make_probe_sim(2, log, config_with(link));
  sim->run();
  int inversions = 0;
  for (size_t i = 1; i < log.received.size(); ++i) {
    if (seq_of(log.received[i]) < seq_of(log.received[i - 1])) ++inversions;
  }
  EXPECT_GT(inversions, 0);
}

TEST(Network, LinkWindowAddsDelayAndLossOnlyWhileActive) {
  ProbeLog log;
  log.plan.push_back({Duration::millis(100), 0, 1, probe_message<"during">});
  log.plan.push_back({Duration::millis(300), 0, 1, probe_message<"after">});
  auto sim = make_probe_sim(2, log, config_with(testing::constant_link(Duration::millis(5))));
  uint64_t w = 0;
  sim->at(Instant{0}, [&] {
    LinkWindow win;
    win.from = NodeSet::of(2, {0});
    win.to = NodeSet::of(2, {1});
    win.extra_latency = Duration::millis(40);
    w = sim->add_link_window(std::move(win), PayloadRef());
  });
  sim->at(Instant{Duration::millis(200).ns}, [&] { sim->end_link_window(w); });
  sim->run();
  ASSERT_EQ(log.received.size(), 2u);
  EXPECT_EQ(log.received[0].at.ns, Duration::millis(145).ns);
  EXPECT_EQ(log.received[1].at.ns, Duration::millis(305).ns);
}

}  // namespace
}  // namespace dsim

namespace dsim {
namespace {

// The rounding itself at its edges: halves, the doubles next to them, and where doubles
// stop having a fraction (2^52) or are far beyond it.
TEST(LatencyModel, RoundsAsLlroundAtTheEdges) {
  std::vector<double> cases = {0.0, 0.5, 1.5, 2.5, 1e6 + 0.5, 0.49999999999999994, 4503599627370495.5,
                               4503599627370496.0, 4503599627370497.0, 9007199254740993.0, 9.2e18, 1e-300};
  for (double x : {0.5, 1.0, 2.5, 1e9 + 0.5}) {
    cases.push_back(std::nextafter(x, 0.0));
    cases.push_back(std::nextafter(x, 1e19));
  }
  for (double x : cases) EXPECT_EQ(llround_nonnegative(x), std::llround(x)) << std::hexfloat << x;
}

// A draw's delay is floor + the draw capped and rounded to the nearest nanosecond (halves
// away from zero), as std::llround rounds: sample() rounds without the library call, and
// must give what llround gives for every draw, at every scale of mean.
TEST(LatencyModel, DrawsRoundAsLlroundDoes) {
  using Kind = LatencyModel::Kind;
  for (Kind kind : {Kind::kExponential, Kind::kLognormal, Kind::kPareto}) {
    for (int64_t mean_ns : {int64_t{1}, int64_t{3}, int64_t{1000}, int64_t{2'000'000}, int64_t{40'000'000'000}}) {
      LatencyModel m;
      m.kind = kind;
      m.value = Duration{mean_ns};
      m.shape = kind == Kind::kPareto ? 1.5 : 0.8;
      m.floor = Duration{500};
      Rng drawn(static_cast<uint64_t>(mean_ns) * 31 + static_cast<uint64_t>(kind));
      Rng reference(static_cast<uint64_t>(mean_ns) * 31 + static_cast<uint64_t>(kind));
      for (int i = 0; i < 20000; ++i) {
        double draw = kind == Kind::kExponential ? reference.exponential(static_cast<double>(mean_ns))
                      : kind == Kind::kLognormal ? reference.lognormal(static_cast<double>(mean_ns), m.shape)
                                                 : reference.pareto(static_cast<double>(mean_ns), m.shape);
        double capped = std::min(draw, static_cast<double>(m.cap.ns));
        Duration expected = m.floor + Duration{static_cast<int64_t>(std::llround(std::max(capped, 0.0)))};
        ASSERT_EQ(m.sample(drawn).ns, expected.ns) << "draw " << draw;
      }
    }
  }
}

}  // namespace
}  // namespace dsim
