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
// NEVER ITERATE IT where the order can reach a trace, a summary or a check's result: the
// table salts its positions with its own address (and Debian's Abseil, built without
// NDEBUG, inserts at random positions now and then), so the iteration order differs from
// one run of the same seed to the next. Keep an order of your own beside it (an array by
// index, a list sorted by TxId::text_less).
#pragma once

#include <cstddef>
#include <cstdint>

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
};

// One 64x64->128-bit multiply, folded (Abseil's own mixing step): every bit of the key
// reaches both the low 7 bits (the swiss table's control byte) and the high ones (where
// its probe starts). Inline, unlike absl::Hash's combine for a struct, which was 1% of a
// 2PC run.
struct TxKeyHash {
  size_t operator()(const TxKey& k) const {
    uint64_t origin = static_cast<uint64_t>(k.coordinator) << 32 | k.incarnation;
    unsigned __int128 m = static_cast<unsigned __int128>(k.seq ^ origin * 0x9E3779B97F4A7C15ULL) *
                          0xC6A4A7935BD1E995ULL;
    return static_cast<size_t>(static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64));
  }
};

// See the file comment: never iterated where its order could show.
template <typename V>
using TxIdMap = absl::flat_hash_map<TxKey, V, TxKeyHash>;

}  // namespace dsim::twopc
