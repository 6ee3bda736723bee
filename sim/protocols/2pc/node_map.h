// Small maps and sets keyed by node, for per-transaction bookkeeping (a coordinator's
// votes, epochs and acknowledgements; the checks' view of each participant's side): a
// transaction has a handful of participants, so a sorted SmallVec (small_vec.h: up to
// four in place, no heap block) beats a tree of heap nodes. The interface is the part of
// std::map / std::set in use, and iteration goes in NodeId order, as std::map's does.
// Iterators and references are good until the next insert.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "core/ids.h"
#include "protocols/2pc/small_vec.h"

namespace dsim::twopc {

template <typename V>
class NodeMap {
 public:
  using value_type = std::pair<NodeId, V>;
  using iterator = value_type*;
  using const_iterator = const value_type*;

  V& operator[](NodeId n) {
    iterator it = lower(n);
    if (it == items_.end() || it->first != n) it = items_.insert(it, value_type{n, V{}});
    return it->second;
  }
  iterator find(NodeId n) {
    iterator it = lower(n);
    return it != items_.end() && it->first == n ? it : items_.end();
  }
  const_iterator find(NodeId n) const { return const_cast<NodeMap*>(this)->find(n); }
  // The value of `n`, or null.
  V* get(NodeId n) {
    iterator it = find(n);
    return it == items_.end() ? nullptr : &it->second;
  }
  const V* get(NodeId n) const { return const_cast<NodeMap*>(this)->get(n); }
  size_t count(NodeId n) const { return find(n) != items_.end() ? 1 : 0; }
  void erase(NodeId n) {
    items_.erase_if([n](const value_type& e) { return e.first == n; });
  }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  void reserve(size_t n) { items_.reserve(n); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }

 private:
  iterator lower(NodeId n) {
    return std::lower_bound(items_.begin(), items_.end(), n,
                            [](const value_type& e, NodeId k) { return e.first < k; });
  }
  SmallVec<value_type, 4> items_;  // sorted by node
};

class NodeSet {
 public:
  void insert(NodeId n) {
    NodeId* it = std::lower_bound(items_.begin(), items_.end(), n);
    if (it == items_.end() || *it != n) items_.insert(it, n);
  }
  size_t count(NodeId n) const { return std::binary_search(items_.begin(), items_.end(), n) ? 1 : 0; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  const NodeId* begin() const { return items_.begin(); }
  const NodeId* end() const { return items_.end(); }

 private:
  SmallVec<NodeId, 4> items_;  // ascending
};

}  // namespace dsim::twopc
