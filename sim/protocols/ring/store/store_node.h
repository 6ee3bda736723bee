// A store node: holds replicas of its keys, coordinates client operations, keeps its own
// membership view by heartbeats, and on every change of that view re-assigns the key
// space with the placement algorithm and sends the keys it holds to their new replicas
// (simulated transfers over the network). Traces: "membership_init" at start,
// "membership_change" per change (with key-movement counts and a bounded sample of moved
// keys), "transfer_sent"/"transfer_received", "coordinate" per operation.
#pragma once

#include <memory>

#include "core/process.h"
#include "protocols/ring/store/shared_assignments.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

// `shared`: the run's key space and assignments, one for all its stores.
std::unique_ptr<Process> make_store_node(std::shared_ptr<SharedAssignments> shared);
// A store sharing with no other (tests).
std::unique_ptr<Process> make_store_node(std::shared_ptr<const StoreSettings> settings);

}  // namespace dsim::ring
