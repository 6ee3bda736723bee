// Timers carry an integer argument, transactions have TxIds: this maps one to the other
// inside one process. Handles are never reused, so a timer that outlives its transaction
// finds nothing instead of a stranger.
//
// Handles are given out in order (1, 2, 3, ...), so the way back is an array indexed by
// handle: it keeps the handles from the oldest one not yet forgotten to the newest, and
// drops its front as the oldest transactions are forgotten.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/tx_id_map.h"

namespace dsim::twopc {

class TxHandles {
 public:
  int64_t handle_of(const TxId& tx) {
    auto [h, fresh] = by_tx_.try_emplace(tx, next_);
    if (!fresh) return *h;
    by_handle_.push_back(Entry{tx, true});
    return next_++;
  }
  std::optional<TxId> tx_of(int64_t handle) const {
    if (handle < first_ || handle >= next_) return std::nullopt;
    const Entry& e = by_handle_[static_cast<size_t>(handle - first_)];
    if (!e.live) return std::nullopt;
    return e.tx;
  }
  void forget(const TxId& tx) {
    const int64_t* h = by_tx_.find(tx);
    if (h == nullptr) return;
    by_handle_[static_cast<size_t>(*h - first_)].live = false;
    by_tx_.erase(tx);
    while (!by_handle_.empty() && !by_handle_.front().live) {
      by_handle_.pop_front();
      ++first_;
    }
  }

 private:
  struct Entry {
    TxId tx;
    bool live = false;  // not forgotten
  };
  int64_t next_ = 1;
  int64_t first_ = 1;             // the handle of by_handle_.front()
  TxIdMap<int64_t> by_tx_;
  std::deque<Entry> by_handle_;  // handles first_ .. next_ - 1
};

}  // namespace dsim::twopc
