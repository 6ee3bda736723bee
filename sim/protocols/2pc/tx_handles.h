// Timers carry an integer argument, transactions have TxIds: this maps one to the other
// inside one process. Handles are never reused, so a timer that outlives its transaction
// finds nothing instead of a stranger.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

class TxHandles {
 public:
  int64_t handle_of(const TxId& tx) {
    auto [it, fresh] = by_tx_.try_emplace(tx, next_);
    if (!fresh) return it->second;
    int64_t h = next_++;
    by_handle_.emplace(h, tx);
    return h;
  }
  std::optional<TxId> tx_of(int64_t handle) const {
    auto it = by_handle_.find(handle);
    if (it == by_handle_.end()) return std::nullopt;
    return it->second;
  }
  void forget(const TxId& tx) {
    auto it = by_tx_.find(tx);
    if (it == by_tx_.end()) return;
    by_handle_.erase(it->second);
    by_tx_.erase(it);
  }

 private:
  int64_t next_ = 1;
  std::unordered_map<TxId, int64_t, TxIdHash> by_tx_;
  std::unordered_map<int64_t, TxId> by_handle_;
};

}  // namespace dsim::twopc
