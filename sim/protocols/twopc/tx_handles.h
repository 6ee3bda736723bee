// Timers carry an integer argument, transactions have string ids: this maps one to the
// other inside one process. Handles are never reused, so a timer that outlives its
// transaction finds nothing instead of a stranger.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace dsim::twopc {

class TxHandles {
 public:
  int64_t handle_of(const std::string& tx) {
    auto it = by_tx_.find(tx);
    if (it != by_tx_.end()) return it->second;
    int64_t h = next_++;
    by_tx_[tx] = h;
    by_handle_[h] = tx;
    return h;
  }
  std::optional<std::string> tx_of(int64_t handle) const {
    auto it = by_handle_.find(handle);
    if (it == by_handle_.end()) return std::nullopt;
    return it->second;
  }
  void forget(const std::string& tx) {
    auto it = by_tx_.find(tx);
    if (it == by_tx_.end()) return;
    by_handle_.erase(it->second);
    by_tx_.erase(it);
  }

 private:
  int64_t next_ = 1;
  std::unordered_map<std::string, int64_t> by_tx_;
  std::unordered_map<int64_t, std::string> by_handle_;
};

}  // namespace dsim::twopc
