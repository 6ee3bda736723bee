// The lock family's test setup: its usual small cluster, the owner ids and acquire request
// the hand-driven tests send, the messages a FakeContext saw sent to one node, and a
// recipe listener that remembers what a recipe told its client. The Context and
// CheckerView fakes are the shared ones (tests/support).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "core/time.h"
#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/owner_id.h"
#include "support/fake_context.h"

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

// The first acquisition of c1 and of c2 in their first incarnation ("c1/0/1", "c2/0/1"):
// the owner a recipe under test is asked to acquire as.
inline const OwnerId kC1Owner{"c1", 0, 1, 0};
inline const OwnerId kC2Owner{"c2", 0, 1, 0};

// A client's numbered acquire with a lease, as a lock server receives it: `owner` is
// OwnerId text ("c1/0/1"), `req` its request number, `ttl` the lease asked for.
inline Message acquire_request(const std::string& owner, int64_t req = 1, Duration ttl = Duration::seconds(1)) {
  return AcquireRequest{owner, req, ttl.ns, /*has_req=*/true, /*has_ttl=*/true};
}

// The messages of type T that `ctx` saw sent to `to`, oldest first.
template <typename T>
std::vector<T> sent_to(const dsim::testing::FakeContext& ctx, NodeId to) {
  std::vector<T> out;
  for (const auto& s : ctx.sent) {
    if (s.to != to) continue;
    if (const auto* m = s.message.as<T>()) out.push_back(*m);
  }
  return out;
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
