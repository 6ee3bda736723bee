// The benchmark's bare priority-queue loop (sim/bench/bare_phold.h) claims to do exactly
// the work dsim does for PHOLD: the same draws, so the same deliveries at the same
// instants in the same order. If the two drifted apart, the benchmark's dsim/bare ratio
// would compare different work; this pins them together.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bench/bare_phold.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

struct Delivery {
  int64_t at_ns;
  std::string node;
  bool operator==(const Delivery&) const = default;
};

std::vector<Delivery> dsim_deliveries(uint64_t nodes, uint64_t seed, const std::string& duration,
                                      uint64_t& events) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/phold.json",
                                {{"nodes", std::to_string(nodes)}, {"duration", duration}}, seed);
  fs::path dir = fs::temp_directory_path() / "dsim_bare_phold_test";
  fs::create_directories(dir);
  RunOptions o;
  o.trace_path = (dir / ("phold-" + std::to_string(nodes) + "-" + std::to_string(seed))).string();
  RunReport r = run_scenario(s, o);
  EXPECT_EQ(r.exit_code, 0);
  events = r.result.events;
  std::vector<Delivery> out;
  std::ifstream in(o.trace_path);
  std::string line;
  while (std::getline(in, line)) {
    Json j = Json::parse(line);
    if (j["ev"] == "deliver") out.push_back({j["t_ns"].get<int64_t>(), j["to"].get<std::string>()});
  }
  fs::remove(o.trace_path);
  return out;
}

std::vector<Delivery> bare_deliveries(uint64_t nodes, uint64_t seed, int64_t duration_ns,
                                      uint64_t& events) {
  bench::PholdWorkload w;
  w.nodes = nodes;
  w.tokens_per_node = 8;  // as in scenarios/phold.json
  w.duration_ns = duration_ns;
  w.seed = seed;
  bench::BarePholdStreams streams(w);
  std::vector<bench::BareDelivery> record;
  events = bench::run_bare_phold(w, streams, &record).events;
  std::vector<Delivery> out;
  for (const auto& d : record) out.push_back({d.at_ns, "n" + std::to_string(d.node)});
  return out;
}

TEST(BarePhold, DeliversWhatDsimDeliversInTheSameOrder) {
  for (uint64_t nodes : {1, 16, 100}) {
    for (uint64_t seed : {1, 7}) {
      uint64_t dsim_events = 0, bare_events = 0;
      auto dsim = dsim_deliveries(nodes, seed, "60ms", dsim_events);
      auto bare = bare_deliveries(nodes, seed, Duration::millis(60).ns, bare_events);
      ASSERT_GT(dsim.size(), nodes * 8) << "every token travels several times";
      EXPECT_EQ(dsim_events, bare_events) << nodes << " nodes, seed " << seed;
      EXPECT_EQ(dsim, bare) << nodes << " nodes, seed " << seed;
    }
  }
}

TEST(BarePhold, StopsAtTheEventBound) {
  bench::PholdWorkload w;
  w.nodes = 10;
  w.max_events = 123;
  bench::BarePholdStreams streams(w);
  EXPECT_EQ(bench::run_bare_phold(w, streams).events, 123u);
}

}  // namespace
}  // namespace dsim
