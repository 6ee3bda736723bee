// A set of nodes as a bitmap: O(1) membership for the network's hot path.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ids.h"

namespace dsim {

class NodeSet {
 public:
  NodeSet() = default;
  explicit NodeSet(size_t universe) : bits_((universe + 63) / 64, 0) {}
  static NodeSet of(size_t universe, const std::vector<NodeId>& members) {
    NodeSet s(universe);
    for (NodeId n : members) s.insert(n);
    return s;
  }
  static NodeSet all(size_t universe) {
    NodeSet s(universe);
    for (size_t i = 0; i < universe; ++i) s.insert(static_cast<NodeId>(i));
    return s;
  }

  void insert(NodeId n) { bits_[n >> 6] |= uint64_t{1} << (n & 63); }
  bool contains(NodeId n) const {
    size_t w = n >> 6;
    return w < bits_.size() && ((bits_[w] >> (n & 63)) & 1) != 0;
  }
  std::vector<NodeId> members() const {
    std::vector<NodeId> out;
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t b = bits_[w]; b != 0; b &= b - 1) {
        out.push_back(static_cast<NodeId>(w * 64 + __builtin_ctzll(b)));
      }
    }
    return out;
  }

 private:
  std::vector<uint64_t> bits_;
};

}  // namespace dsim
