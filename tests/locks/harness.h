// The lock family's test setup: its usual small cluster and a recipe listener that
// remembers what a recipe told its client. The Context and CheckerView fakes are the
// shared ones (tests/support).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "protocols/locks/lock_recipe.h"

namespace dsim::locks::testing {

// lock (0), resource (1), c1 (2), c2 (3), c3 (4); or `locks` servers lock1..lockN first.
inline Cluster test_cluster(int locks = 1) {
  Cluster c;
  if (locks == 1) {
    c.add("lock", "lock");
  } else {
    for (int i = 1; i <= locks; ++i) c.add("lock" + std::to_string(i), "lock");
  }
  c.add("resource", "resource");
  c.add("c1", "client");
  c.add("c2", "client");
  c.add("c3", "client");
  return c;
}

// Remembers what a recipe told its client.
class RecordingListener final : public RecipeListener {
 public:
  void on_granted(Context&, const Grant& g) override { grants.push_back(g); }
  void on_lost(Context&, std::string_view reason) override { losses.emplace_back(reason); }
  bool worker_alive(Context&) const override { return worker; }
  bool worker = true;  // false: the worker has hung
  std::vector<Grant> grants;
  std::vector<std::string> losses;
};

}  // namespace dsim::locks::testing
