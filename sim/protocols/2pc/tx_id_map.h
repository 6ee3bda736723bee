// A map by transaction id, flat: Abseil's swiss table (absl::flat_hash_map, Debian's
// libabsl-dev) keyed by the id's integers. Every 2PC event names a transaction, so the
// roles (tx_table.h) and the checks' ledger look one up per event; std::unordered_map's
// heap node per entry and its teardown were a tenth of a 2PC run.
//
// The key is TxKey, the id without its Cluster pointer (16 bytes instead of 24); a TxId
// converts to it, so `map.find(id)` and `map.try_emplace(id, v)` take a TxId as they are.
// A pointer or iterator to a value stays valid until the next insert (which may grow the
// table) or erase.
//
// NEVER ITERATE IT where the order can reach a trace, a summary or a check's result:
// absl::Hash is seeded per process (and the table salts positions with its own address),
// so the iteration order differs from one run of the same seed to the next. Keep an order
// of your own beside it (an array by index, a list sorted by TxId::text_less).
#pragma once

#include <cstdint>
#include <utility>

#include <absl/container/flat_hash_map.h>

#include "core/ids.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

// TxId's integers: what its equality compares.
struct TxKey {
  uint64_t seq = 0;
  NodeId coordinator = kNoNode;
  uint32_t incarnation = 0;

  TxKey() = default;
  TxKey(const TxId& id) : seq(id.seq), coordinator(id.coordinator), incarnation(id.incarnation) {}  // NOLINT: a TxId is its key

  friend bool operator==(const TxKey& a, const TxKey& b) {
    return a.seq == b.seq && a.coordinator == b.coordinator && a.incarnation == b.incarnation;
  }
  template <typename H>
  friend H AbslHashValue(H h, const TxKey& k) {
    return H::combine(std::move(h), k.seq, static_cast<uint64_t>(k.coordinator) << 32 | k.incarnation);
  }
};

// See the file comment: never iterated where its order could show.
template <typename V>
using TxIdMap = absl::flat_hash_map<TxKey, V>;

}  // namespace dsim::twopc
