#include "protocols/ring/stats/load_summary.h"

#include <algorithm>
#include <cmath>

namespace dsim::ring {
namespace {

// Nearest rank, as sim/check/sample_stats.h defines percentiles.
double percentile_sorted(const std::vector<double>& sorted, double p) {
  double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

Json LoadSummary::to_json() const {
  Json j = Json::object();
  j["peak_to_mean"] = peak_to_mean;
  j["min_to_mean"] = min_to_mean;
  j["stddev_over_mean"] = stddev_over_mean;
  j["p1_to_mean"] = p1_to_mean;
  j["p99_to_mean"] = p99_to_mean;
  j["p0_5_to_mean"] = p0_5_to_mean;
  j["p99_5_to_mean"] = p99_5_to_mean;
  return j;
}

LoadSummary summarize_relative_loads(std::vector<double> relative) {
  std::sort(relative.begin(), relative.end());
  double mean = 0;
  for (double r : relative) mean += r;
  mean /= static_cast<double>(relative.size());
  double var = 0;
  for (double r : relative) var += (r - mean) * (r - mean);
  var /= static_cast<double>(relative.size());
  LoadSummary s;
  // Relative loads average 1 by construction (up to rounding); divide anyway so the
  // figures stay "to mean" exactly.
  s.peak_to_mean = relative.back() / mean;
  s.min_to_mean = relative.front() / mean;
  s.stddev_over_mean = std::sqrt(var) / mean;
  s.p1_to_mean = percentile_sorted(relative, 1) / mean;
  s.p99_to_mean = percentile_sorted(relative, 99) / mean;
  s.p0_5_to_mean = percentile_sorted(relative, 0.5) / mean;
  s.p99_5_to_mean = percentile_sorted(relative, 99.5) / mean;
  return s;
}

std::vector<double> relative_loads(const std::vector<uint64_t>& counts, const std::vector<double>& shares) {
  double total = 0;
  for (uint64_t c : counts) total += static_cast<double>(c);
  std::vector<double> out(counts.size(), 0.0);
  for (size_t i = 0; i < counts.size(); ++i) {
    out[i] = total > 0 ? static_cast<double>(counts[i]) / (total * shares[i]) : 0.0;
  }
  return out;
}

double sampling_noise_stddev(const std::vector<double>& shares, double keys) {
  double sum = 0;
  for (double s : shares) sum += (1 - s) / (keys * s);
  return std::sqrt(sum / static_cast<double>(shares.size()));
}

}  // namespace dsim::ring
