// Summaries of measured samples (latencies, in-doubt times) for checkers' metrics.
// Exact (sorting a copy), deterministic, no interpolation: the p-th percentile is the
// smallest sample with at least p% of the samples at or below it (nearest rank).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/json.h"

namespace dsim {

inline int64_t percentile(std::vector<int64_t> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

// {"count", "min", "p50", "p99", "max", "mean"} for samples in one unit (say so in the
// key the caller stores it under, e.g. "acquire_latency_ns").
inline Json summarize_samples(const std::vector<int64_t>& samples) {
  Json out = Json::object();
  out["count"] = samples.size();
  if (samples.empty()) return out;
  std::vector<int64_t> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  long double sum = 0;
  for (int64_t s : sorted) sum += s;
  out["min"] = sorted.front();
  out["p50"] = percentile(sorted, 50);
  out["p99"] = percentile(sorted, 99);
  out["max"] = sorted.back();
  out["mean"] = static_cast<int64_t>(std::llround(sum / sorted.size()));
  return out;
}

}  // namespace dsim
