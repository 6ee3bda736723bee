// The `ring` protocol family: a key-value store sharded over a consistent-hash ring with
// replication factor R, clients issuing gets and puts, membership from a heartbeat
// failure detector, and data moved to new owners over the network. The variant names
// the placement algorithm (ring, rendezvous, jump, maglev, bounded, multiprobe, seed) or
// real-system layout (ketama, envoy-ring, envoy-maglev, cassandra, groupcache).
#pragma once

#include "scenario/protocol_family.h"

namespace dsim {
ProtocolFamily ring_family();
}  // namespace dsim
