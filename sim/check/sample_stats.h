// Summaries of measured samples (latencies, in-doubt times) for checkers' metrics.
// Exact (selecting in a copy), deterministic, no interpolation: the p-th percentile is the
// smallest sample with at least p% of the samples at or below it (nearest rank).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/json.h"

namespace dsim {

// The index of the nearest-rank p-th percentile among n > 0 sorted samples.
inline size_t percentile_rank(size_t n, double p) {
  double rank = std::ceil(p / 100.0 * static_cast<double>(n));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return std::min(index, n - 1);
}

inline int64_t percentile(std::vector<int64_t> samples, double p) {
  if (samples.empty()) return 0;
  auto at = samples.begin() + static_cast<std::ptrdiff_t>(percentile_rank(samples.size(), p));
  std::nth_element(samples.begin(), at, samples.end());
  return *at;
}

// {"count", "min", "p50", "p99", "max", "mean"} for samples in one unit (say so in the
// key the caller stores it under, e.g. "acquire_latency_ns"). Reorders the samples it is
// given (selection, not a full sort): a caller that has no further use for its vector
// hands it over (std::move) and saves the copy.
inline Json summarize_samples(std::vector<int64_t>&& samples) {
  Json out = Json::object();
  out["count"] = samples.size();
  if (samples.empty()) return out;
  const size_t n = samples.size();
  auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  const int64_t min = *lo, max = *hi;
  // Exact in any order: a long double holds every partial sum of int64 samples exactly
  // while it stays below 2^64.
  long double sum = 0;
  for (int64_t s : samples) sum += s;
  const size_t r50 = percentile_rank(n, 50), r99 = percentile_rank(n, 99);
  auto at50 = samples.begin() + static_cast<std::ptrdiff_t>(r50);
  std::nth_element(samples.begin(), at50, samples.end());
  const int64_t p50 = *at50;
  // Everything after r50 is at least p50: the 99th is the (r99 - r50)th of that part.
  int64_t p99 = p50;
  if (r99 > r50) {
    auto at99 = samples.begin() + static_cast<std::ptrdiff_t>(r99);
    std::nth_element(at50 + 1, at99, samples.end());
    p99 = *at99;
  }
  out["min"] = min;
  out["p50"] = p50;
  out["p99"] = p99;
  out["max"] = max;
  out["mean"] = static_cast<int64_t>(std::llround(sum / n));
  return out;
}
inline Json summarize_samples(const std::vector<int64_t>& samples) {
  return summarize_samples(std::vector<int64_t>(samples));
}

}  // namespace dsim
