// The PHOLD workload every contender of the benchmark runs: `nodes` nodes start with
// `tokens_per_node` tokens each; every delivered token is forwarded to a uniformly random
// node after a delay uniform in [1 ms, 10 ms]. A run ends when the next delivery would
// fall after `duration_ns` (or after `max_events` deliveries). An "event" is one delivery.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace dsim::bench {

inline constexpr Duration kPholdDelayMin = Duration::millis(1);
inline constexpr Duration kPholdDelayMax = Duration::millis(10);
// Mean of the delay: a run of D simulated ns processes about nodes * tokens * D / this.
inline constexpr int64_t kPholdDelayMean_ns = (kPholdDelayMin.ns + kPholdDelayMax.ns) / 2;

struct PholdWorkload {
  uint64_t nodes = 64;
  uint64_t tokens_per_node = 8;
  int64_t duration_ns = Duration::seconds(1).ns;
  uint64_t seed = 1;
  uint64_t max_events = UINT64_MAX;

  // Tokens in flight at every instant: PHOLD neither creates nor loses any.
  uint64_t pending_events() const { return nodes * tokens_per_node; }
};

}  // namespace dsim::bench
