// The papers' figures at small scale, within the tolerances published_figures.h states for
// that many nodes (ring_published_figures runs them at the papers' scale).
#include <gtest/gtest.h>

#include "protocols/ring/stats/published_figures.h"

namespace dsim::ring {
namespace {

void expect_rows_hold(const std::vector<FigureRow>& rows) {
  ASSERT_FALSE(rows.empty());
  for (const FigureRow& r : rows) {
    EXPECT_TRUE(r.holds()) << r.source << ", " << r.quantity << " (" << r.setting << "): published " << r.published
                           << ", measured " << r.measured << ", tolerance " << r.tolerance;
  }
}

// 300 nodes (100 for V = 1000): a few hundred thousand points at most.
TEST(PublishedFigures, LampingVeachTableAtSmallScale) { expect_rows_hold(lamping_veach_table(300, 100)); }

TEST(PublishedFigures, MaglevEntryCountsAtSmallScale) {
  expect_rows_hold(maglev_entry_counts(10, 251));
  expect_rows_hold(maglev_entry_counts(100, 65537));
}

}  // namespace
}  // namespace dsim::ring
