// The ledger's map of a transaction's participants' sides, by node (TxLedger::Txn::parts):
// NodeMap's interface and order (node_map.h: ascending NodeId), laid out for the ledger's
// lookup on every participant event. NodeMap keeps (node, side) pairs in one SmallVec:
// finding a node read the vector's heap pointer at the end of the record and each pair's
// node, a side (~56 bytes) apart, several cache lines for one lookup. Here the count and
// the nodes come first, together (one line), and the sides after them; the count alone
// says whether the items are in place or on the heap.
//
// REQUIRES: V is default-constructible and cheap to copy. Items are never removed.
// Pointers and references are good until the next insert.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/ids.h"

namespace dsim::twopc {

template <typename V, size_t N = 4>
class PartMap {
 public:
  PartMap() = default;
  PartMap(const PartMap&) = delete;
  PartMap& operator=(const PartMap&) = delete;

  // The value of `n`, or null.
  V* get(NodeId n) {
    const NodeId* nodes = nodes_data();
    for (uint32_t i = 0; i < size_; ++i) {
      if (nodes[i] == n) return &values_data()[i];
    }
    return nullptr;
  }
  const V* get(NodeId n) const { return const_cast<PartMap*>(this)->get(n); }
  // The value of `n`, made (V{}) in its place in node order if it has none.
  V& operator[](NodeId n) {
    if (V* v = get(n)) return *v;
    return insert(n);
  }
  size_t count(NodeId n) const { return get(n) != nullptr ? 1 : 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void reserve(size_t n) {
    if (spill_) {
      spill_->nodes.reserve(n);
      spill_->values.reserve(n);
    }
  }

  // Iteration in NodeId order, as (node, value) pairs: `for (const auto& [node, v] : map)`.
  template <typename Value>
  class Iter {
   public:
    Iter(const NodeId* node, Value* value) : node_(node), value_(value) {}
    std::pair<NodeId, Value&> operator*() const { return {*node_, *value_}; }
    Iter& operator++() {
      ++node_;
      ++value_;
      return *this;
    }
    bool operator==(const Iter& o) const { return node_ == o.node_; }
    bool operator!=(const Iter& o) const { return node_ != o.node_; }

   private:
    const NodeId* node_;
    Value* value_;
  };
  using iterator = Iter<V>;
  using const_iterator = Iter<const V>;
  iterator begin() { return {nodes_data(), values_data()}; }
  iterator end() { return {nodes_data() + size_, values_data() + size_}; }
  const_iterator begin() const { return {nodes_data(), values_data()}; }
  const_iterator end() const { return {nodes_data() + size_, values_data() + size_}; }

 private:
  struct Spill {  // all the items, once there are more than N
    std::vector<NodeId> nodes;
    std::vector<V> values;
  };

  bool spilled() const { return size_ > N; }
  NodeId* nodes_data() { return spilled() ? spill_->nodes.data() : nodes_; }
  const NodeId* nodes_data() const { return spilled() ? spill_->nodes.data() : nodes_; }
  V* values_data() { return spilled() ? spill_->values.data() : values_; }
  const V* values_data() const { return spilled() ? spill_->values.data() : values_; }

  V& insert(NodeId n) {
    const size_t at = static_cast<size_t>(std::lower_bound(nodes_data(), nodes_data() + size_, n) - nodes_data());
    if (size_ < N) {
      std::copy_backward(nodes_ + at, nodes_ + size_, nodes_ + size_ + 1);
      std::copy_backward(values_ + at, values_ + size_, values_ + size_ + 1);
      nodes_[at] = n;
      values_[at] = V{};
      ++size_;
      return values_[at];
    }
    if (!spill_) {
      spill_ = std::make_unique<Spill>();
      spill_->nodes.assign(nodes_, nodes_ + size_);
      spill_->values.assign(values_, values_ + size_);
    }
    spill_->nodes.insert(spill_->nodes.begin() + static_cast<std::ptrdiff_t>(at), n);
    spill_->values.insert(spill_->values.begin() + static_cast<std::ptrdiff_t>(at), V{});
    ++size_;
    return spill_->values[at];
  }

  uint32_t size_ = 0;
  NodeId nodes_[N] = {};          // ascending; the first size_ (when size_ <= N)
  V values_[N] = {};              // by place in nodes_
  std::unique_ptr<Spill> spill_;  // made when size_ first passed N; then holds every item
};

}  // namespace dsim::twopc
