// Small maps and sets keyed by node, for a coordinator's per-transaction bookkeeping
// (votes, epochs, acknowledgements): a transaction has a handful of participants, so a
// sorted vector beats a tree of heap nodes. The interface is the part of std::map /
// std::set the roles use, and iteration goes in NodeId order, as std::map's does.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "core/ids.h"

namespace dsim::twopc {

template <typename V>
class NodeMap {
 public:
  using value_type = std::pair<NodeId, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  V& operator[](NodeId n) {
    auto it = lower(n);
    if (it == items_.end() || it->first != n) it = items_.insert(it, value_type{n, V{}});
    return it->second;
  }
  iterator find(NodeId n) {
    auto it = lower(n);
    return it != items_.end() && it->first == n ? it : items_.end();
  }
  const_iterator find(NodeId n) const { return const_cast<NodeMap*>(this)->find(n); }
  size_t count(NodeId n) const { return find(n) != items_.end() ? 1 : 0; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }

 private:
  iterator lower(NodeId n) {
    return std::lower_bound(items_.begin(), items_.end(), n,
                            [](const value_type& e, NodeId k) { return e.first < k; });
  }
  std::vector<value_type> items_;  // sorted by node
};

class NodeSet {
 public:
  void insert(NodeId n) {
    auto it = std::lower_bound(items_.begin(), items_.end(), n);
    if (it == items_.end() || *it != n) items_.insert(it, n);
  }
  size_t count(NodeId n) const { return std::binary_search(items_.begin(), items_.end(), n) ? 1 : 0; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<NodeId> items_;  // sorted
};

}  // namespace dsim::twopc
