#include "protocols/ring/stats/published_figures.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "protocols/ring/placement/placement.h"
#include "protocols/ring/stats/load_summary.h"

namespace dsim::ring {
namespace {

std::vector<Member> numbered_nodes(uint32_t n) {
  std::vector<Member> out;
  for (uint32_t i = 0; i < n; ++i) out.push_back(Member{i, "node-" + std::to_string(i), 1.0});
  return out;
}

// Shares relative to the mean (1/N), summarised as Lamping & Veach report them.
LoadSummary ring_summary(uint32_t nodes, uint32_t vnodes) {
  PlacementOptions o;
  o.algorithm = "ring";
  o.vnodes = vnodes;
  auto p = make_placement(o);
  p->add_all(numbered_nodes(nodes));
  std::vector<double> relative;
  for (double s : p->exact_shares()) relative.push_back(s * nodes);
  return summarize_relative_loads(std::move(relative));
}

}  // namespace

std::vector<FigureRow> lamping_veach_table(uint32_t nodes_small_v, uint32_t nodes_v1000) {
  struct Published {
    uint32_t vnodes;
    double stddev, low, high;
  };
  // Lamping & Veach 2014, the table comparing points per bucket: standard error and the
  // bucket-size range for 99% of buckets.
  const Published table[] = {{10, 0.315, 0.37, 1.98}, {100, 0.0997, 0.76, 1.28}, {1000, 0.0316, 0.92, 1.09}};
  std::vector<FigureRow> rows;
  for (const Published& t : table) {
    const uint32_t n = t.vnodes == 1000 ? nodes_v1000 : nodes_small_v;
    const LoadSummary s = ring_summary(n, t.vnodes);
    const std::string setting = "N=" + std::to_string(n) + " nodes, exact arc shares";
    const std::string v = ", V=" + std::to_string(t.vnodes);
    // Three standard errors each. The sample stddev of N shares is off by ~1/sqrt(2N)
    // relative (at least 3% allowed). A sample p-quantile's standard error is
    // sqrt(p (1 - p) / N) / density there; for loads near normal with spread sigma, the
    // density at the 0.5% point is phi(2.576) / sigma = 0.0145 / sigma.
    const double rel = 3.0 / std::sqrt(2.0 * n);
    const double q = std::max(0.01, 3.0 * std::sqrt(0.005 * 0.995 / n) / 0.0145 * t.stddev);
    rows.push_back({"Lamping & Veach 2014, table", "stddev/mean" + v, setting, t.stddev, s.stddev_over_mean,
                    std::max(rel, 0.03) * t.stddev});
    rows.push_back({"Lamping & Veach 2014, table", "99% of nodes above (x mean)" + v, setting, t.low,
                    s.p0_5_to_mean, q});
    rows.push_back({"Lamping & Veach 2014, table", "99% of nodes below (x mean)" + v, setting, t.high,
                    s.p99_5_to_mean, q});
  }
  return rows;
}

std::vector<FigureRow> maglev_entry_counts(uint32_t nodes, uint32_t table_size) {
  std::vector<FigureRow> rows;
  for (const std::string algorithm : {"maglev", "envoy-maglev"}) {
    PlacementOptions o;
    o.algorithm = algorithm;
    o.table_size = table_size;
    auto p = make_placement(o);
    p->add_all(numbered_nodes(nodes));
    std::vector<double> entries;
    for (double s : p->exact_shares()) entries.push_back(std::round(s * table_size));
    const std::string setting = algorithm + ", N=" + std::to_string(nodes) + ", M=" + std::to_string(table_size);
    const double fewest = *std::min_element(entries.begin(), entries.end());
    const double most = *std::max_element(entries.begin(), entries.end());
    rows.push_back({"Eisenbud et al. 2016, section 3.4", "fewest entries a node (floor M/N)", setting,
                    std::floor(static_cast<double>(table_size) / nodes), fewest, 0});
    rows.push_back({"Eisenbud et al. 2016, section 3.4", "most entries a node (ceil M/N)", setting,
                    std::ceil(static_cast<double>(table_size) / nodes), most, 0});
  }
  return rows;
}

}  // namespace dsim::ring
