// The bounds a scenario is checked against at load, before anything large is allocated.
// Each is documented in README.md ("Limits"); a scenario beyond one is refused with exit 2,
// its JSON path and the limit.
#pragma once

#include <cstdint>

namespace dsim {

// Nodes in total, across all roles.
inline constexpr int64_t kMaxNodes = 1'000'000;
// Entries of faults.schedule.
inline constexpr int64_t kMaxScriptedFaults = 100'000;
// Faults the random nemesis draws on average, (stop - start) / mean_interval. Its planner
// also stops for good at twice this many draws.
inline constexpr int64_t kMaxNemesisFaults = 100'000;
// Node references that fault data may hold in total (a fault naming a role of k nodes
// holds k; a random partition or link fault may hold every node): bounds the memory of the
// schedule, whatever the mix of fault count and cluster size.
inline constexpr int64_t kMaxFaultNodeEntries = 20'000'000;

}  // namespace dsim
