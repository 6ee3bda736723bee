// Load balance figures over nodes, each node's load given relative to its fair share
// (1.0 = exactly its weight's share of the keys).
#pragma once

#include <vector>

#include "core/json.h"

namespace dsim::ring {

struct LoadSummary {
  double peak_to_mean = 0;
  double min_to_mean = 0;
  double stddev_over_mean = 0;
  double p1_to_mean = 0;     // 1st percentile over nodes (nearest rank)
  double p99_to_mean = 0;
  double p0_5_to_mean = 0;   // Lamping & Veach quote the range holding 99% of nodes:
  double p99_5_to_mean = 0;  // these two bound it.
  Json to_json() const;
};

// REQUIRES: relative loads (load / fair share), at least one.
LoadSummary summarize_relative_loads(std::vector<double> relative);

// counts[i] keys on node i whose fair share is shares[i] (summing to 1).
std::vector<double> relative_loads(const std::vector<uint64_t>& counts, const std::vector<double>& shares);

// The spread of relative loads that key sampling alone causes when every node has
// exactly its fair share: sqrt(mean over nodes of (1 - s) / (keys * s)), which is
// sqrt((N - 1) / keys) for equal weights. Measured spreads at or below it mean nothing.
double sampling_noise_stddev(const std::vector<double>& shares, double keys);

}  // namespace dsim::ring
