// The checks the `ring` family offers, each in its own file. They judge only from trace
// events (the clients' op_invoke/op_done, the stores' membership and coordinate events)
// and the CheckerView, never from the processes' memory.
#pragma once

#include <memory>

#include "check/checker.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

// A successful get never returns a value older than a put acknowledged before the get
// began (or nothing, when such a put exists): the "read your acknowledged writes"
// promise of R/W quorums. Expected to hold without faults; membership disagreement can
// break it.
std::unique_ptr<Checker> make_fresh_reads_check();
// Coordinators whose membership views are equal (the same set of members, whatever order
// they joined in) choose the same replica list for a key: placement depends on the view
// alone. Fails under jump, whose buckets depend on the order of changes, and failed under
// maglev before its table was filled in name order. Metrics: operations compared,
// disagreements.
std::unique_ptr<Checker> make_replica_agreement_check();
// Every operation's replica set names min(R, view size) distinct nodes.
std::unique_ptr<Checker> make_distinct_replicas_check(size_t replicas);
// The fraction of client operations that succeeded is at least `availability_min` (an
// observer when that is 0). Metrics: outcomes, latency of successful operations.
std::unique_ptr<Checker> make_availability_check(double availability_min);
// In every store node's view (of two or more nodes) the busiest node holds at most
// `peak_to_mean_max` times the mean number of primary keys.
std::unique_ptr<Checker> make_load_balance_check(double peak_to_mean_max);
// Liveness: once faults have stopped for `settle_after`, every running store node's view
// is exactly the set of running store nodes. Metrics: membership changes, removals of
// nodes that were up (false suspicions), re-additions (flaps).
std::unique_ptr<Checker> make_settled_membership_check(const StoreSettings& settings);

}  // namespace dsim::ring
