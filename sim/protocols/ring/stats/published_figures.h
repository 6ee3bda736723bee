// The papers' figures that ring-stats claims to reproduce, each next to what this code
// measures: the fast test runs them at small scale (tests/ring/published_figures_test.cpp)
// and `ring_published_figures` (sim/protocols/ring/bench/) at the papers' scale.
//
// * Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014), the table
//   of Karger's ring with V points per node: the load's standard deviation over its mean
//   and the range (relative to the mean) that holds 99% of nodes, for V = 10, 100, 1000.
//   Measured from exact arc shares of N nodes (no key sampling).
// * Eisenbud et al., "Maglev" (NSDI 2016), section 3.4: nodes take turns filling the
//   M-entry table, so at equal weights every node holds floor(M/N) or ceil(M/N) entries.
#pragma once

#include <string>
#include <vector>

namespace dsim::ring {

struct FigureRow {
  std::string source;     // "Lamping & Veach 2014, table", ...
  std::string quantity;   // "stddev/mean, V=10", ...
  std::string setting;    // what was measured: "N=1000 nodes, exact arc shares"
  double published = 0;
  double measured = 0;
  double tolerance = 0;   // |measured - published| allowed at this scale (absolute)
  bool holds() const { return measured >= published - tolerance && measured <= published + tolerance; }
};

// Lamping & Veach's nine figures (3 per V) over `nodes_small_v` nodes for V = 10 and 100
// and `nodes_v1000` for V = 1000; tolerances of three standard errors for that many nodes:
// 3/sqrt(2N) of the published stddev (at least 3%), and for the 0.5% / 99.5% quantiles
// 3 sqrt(0.005 * 0.995 / N) / 0.0145 times the published stddev (normal approximation).
std::vector<FigureRow> lamping_veach_table(uint32_t nodes_small_v, uint32_t nodes_v1000);

// Maglev's per-node entry counts for N nodes and a table of M entries: four rows (the
// fewest and most entries against floor and ceil of M/N, tolerance 0), for `maglev` and
// `envoy-maglev`.
std::vector<FigureRow> maglev_entry_counts(uint32_t nodes, uint32_t table_size);

}  // namespace dsim::ring
