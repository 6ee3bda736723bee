// summarize_samples selects its percentiles instead of sorting: the same summary as a full
// sort with nearest-rank percentiles, for any samples and any order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "check/sample_stats.h"
#include "core/rng.h"

namespace dsim {
namespace {

// The summary by the definition: sort, then read ranks.
Json by_sorting(std::vector<int64_t> s) {
  Json out = Json::object();
  out["count"] = s.size();
  if (s.empty()) return out;
  std::sort(s.begin(), s.end());
  auto rank = [&](double p) {
    double r = std::ceil(p / 100.0 * static_cast<double>(s.size()));
    return s[std::min(r < 1 ? size_t{0} : static_cast<size_t>(r) - 1, s.size() - 1)];
  };
  long double sum = 0;
  for (int64_t v : s) sum += v;
  out["min"] = s.front();
  out["p50"] = rank(50);
  out["p99"] = rank(99);
  out["max"] = s.back();
  out["mean"] = static_cast<int64_t>(std::llround(sum / s.size()));
  return out;
}

TEST(SampleStats, SummaryEqualsTheSortedDefinition) {
  Rng rng(7);
  for (size_t n : {0u, 1u, 2u, 3u, 50u, 99u, 100u, 101u, 199u, 200u, 1000u, 1001u}) {
    for (int64_t range : {int64_t{3}, int64_t{1000}, int64_t{4'000'000'000}}) {
      std::vector<int64_t> s;
      for (size_t i = 0; i < n; ++i) s.push_back(rng.uniform_int(0, range));
      EXPECT_EQ(summarize_samples(s), by_sorting(s)) << n << " samples in 0.." << range;
      EXPECT_EQ(summarize_samples(std::vector<int64_t>(s)), by_sorting(s));
      if (!s.empty()) {
        std::vector<int64_t> sorted = s;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(percentile(s, 50), by_sorting(s)["p50"]);
        EXPECT_EQ(percentile(s, 0), sorted.front());
        EXPECT_EQ(percentile(s, 100), sorted.back());
      }
    }
  }
  EXPECT_EQ(percentile({}, 50), 0);
}

TEST(SampleStats, ConstSamplesAreLeftAsTheyWere) {
  const std::vector<int64_t> s = {5, 1, 4, 2, 3};
  Json out = summarize_samples(s);
  EXPECT_EQ(s, (std::vector<int64_t>{5, 1, 4, 2, 3}));
  EXPECT_EQ(out["p50"], 3);
  EXPECT_EQ(out["mean"], 3);
}

}  // namespace
}  // namespace dsim
