// ring_published_figures: the papers' figures (published_figures.h) at the papers' scale,
// written as a Markdown table beside the published values. Not a test: it takes seconds
// and prints what it measures; tests/ring/published_figures_test.cpp checks the same rows
// at small scale.
//   build/ring_published_figures > figures.md
#include <cstdio>

#include "protocols/ring/stats/published_figures.h"

int main() {
  using dsim::ring::FigureRow;
  std::vector<FigureRow> rows = dsim::ring::lamping_veach_table(10000, 1000);
  for (const FigureRow& r : dsim::ring::maglev_entry_counts(1000, 65537)) rows.push_back(r);
  std::printf("| source | quantity | setting | published | measured | tolerance | holds |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  int failed = 0;
  for (const FigureRow& r : rows) {
    std::printf("| %s | %s | %s | %.4g | %.4g | %.3g | %s |\n", r.source.c_str(), r.quantity.c_str(), r.setting.c_str(),
                r.published, r.measured, r.tolerance, r.holds() ? "yes" : "no");
    failed += r.holds() ? 0 : 1;
  }
  return failed == 0 ? 0 : 1;
}
