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

// The nearest-rank p-th percentile of samples already in ascending order.
inline int64_t percentile_of_sorted(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

inline int64_t percentile(std::vector<int64_t> samples, double p) {
  std::sort(samples.begin(), samples.end());
  return percentile_of_sorted(samples, p);
}

// {"count", "min", "p50", "p99", "max", "mean"} for samples in one unit (say so in the
// key the caller stores it under, e.g. "acquire_latency_ns"). Sorts the samples it is
// given in place: a caller that has no further use for its vector hands it over
// (std::move) and saves the copy.
inline Json summarize_samples(std::vector<int64_t>&& samples) {
  Json out = Json::object();
  out["count"] = samples.size();
  if (samples.empty()) return out;
  std::vector<int64_t>& sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  long double sum = 0;
  for (int64_t s : sorted) sum += s;
  out["min"] = sorted.front();
  out["p50"] = percentile_of_sorted(sorted, 50);
  out["p99"] = percentile_of_sorted(sorted, 99);
  out["max"] = sorted.back();
  out["mean"] = static_cast<int64_t>(std::llround(sum / sorted.size()));
  return out;
}
inline Json summarize_samples(const std::vector<int64_t>& samples) {
  return summarize_samples(std::vector<int64_t>(samples));
}

}  // namespace dsim
