#pragma once

#include <cstdint>

namespace dsim {

// Index of a node in the cluster, 0..N-1, in the order the scenario lists them.
using NodeId = uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// Handle of a pending timer; unique within a run (never reused).
using TimerId = uint64_t;

// Sequence number of a message send; a duplicate keeps the id of its original.
using MessageId = uint64_t;

}  // namespace dsim
