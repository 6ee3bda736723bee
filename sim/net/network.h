// The simulated network: decides the fate of each message (lost, delivered once or
// twice, after which delay) and which directed links are cut. It knows nothing about
// what the messages mean.
//
// Three layers decide a link's behaviour, in order:
//   1. the default LinkConfig, overridden per directed link by static `LinkRule`s
//      (the first rule that matches wins);
//   2. timed windows (`LinkWindow`) that add delay or loss while they are active;
//   3. cuts (partitions), checked both when a message is sent and when it would arrive,
//      so a message in flight across a link that is cut by then is dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/rng.h"
#include "net/latency_model.h"
#include "net/node_set.h"

namespace dsim {

struct LinkConfig {
  LatencyModel latency;
  double loss = 0.0;       // probability a message is lost
  double duplicate = 0.0;  // probability a message is delivered twice
};

struct LinkRule {
  NodeSet from, to;
  LinkConfig config;
};

struct LinkWindow {
  NodeSet from, to;
  Duration extra_latency = Duration::zero();
  double extra_loss = 0.0;  // an independent extra chance of loss
};

// A partition. Either groups (nodes in different groups cannot talk; every node not
// listed forms one more group) or one way (nothing from `from` reaches `to`).
struct Cut {
  enum class Kind { kGroups, kOneWay };
  Kind kind = Kind::kGroups;
  std::vector<int32_t> group_of;  // kGroups: per node, its group index
  NodeSet from, to;               // kOneWay
  bool blocks(NodeId a, NodeId b) const {
    if (kind == Kind::kGroups) return group_of[a] != group_of[b];
    return from.contains(a) && to.contains(b);
  }
};

enum class DropReason { kNone, kLoss, kPartition, kNodeDown };
const char* to_string(DropReason r);

struct RouteResult {
  DropReason dropped = DropReason::kNone;
  int copies = 0;          // 0 when dropped, 2 when duplicated
  Duration latency[2]{};   // per copy
};

class Network {
 public:
  Network(size_t node_count, LinkConfig defaults, std::vector<LinkRule> rules, uint64_t seed,
          const std::vector<std::string>& node_names);

  // The fate of one message sent now from `from` to `to`. Draws only from `from`'s stream.
  RouteResult route(NodeId from, NodeId to);
  bool blocked(NodeId from, NodeId to) const {
    if (cuts_.live == 0) return false;
    for (const Active<Cut>& c : cuts_.items) {
      if (c.live && c.item.blocks(from, to)) return true;
    }
    return false;
  }

  // Ids are unique within a run; removing an unknown id is a no-op that returns false.
  uint64_t add_cut(Cut cut);
  bool remove_cut(uint64_t id);
  size_t remove_all_cuts();
  uint64_t add_window(LinkWindow window);
  bool remove_window(uint64_t id);
  size_t active_cuts() const { return cuts_.live; }
  size_t active_windows() const { return windows_.live; }

  const LinkConfig& config_for(NodeId from, NodeId to) const;

 private:
  template <typename T>
  struct Active {
    uint64_t id;
    T item;
    bool live = true;
  };
  // Items in the order they were added (so ids ascend), removed by marking: a fault
  // schedule may hold 100,000 cuts at once, and erasing from the middle of a vector would
  // make ending them quadratic. Dead items are dropped in one pass once they are half.
  template <typename T>
  struct ActiveList {
    std::vector<Active<T>> items;
    size_t live = 0;
    uint64_t add(uint64_t id, T item) {
      items.push_back({id, std::move(item)});
      ++live;
      return id;
    }
    bool remove(uint64_t id);
    size_t clear() {
      size_t n = live;
      items.clear();
      live = 0;
      return n;
    }
  };

  LinkConfig defaults_;
  std::vector<LinkRule> rules_;
  std::vector<Rng> rng_by_sender_;
  ActiveList<Cut> cuts_;
  ActiveList<LinkWindow> windows_;
  uint64_t next_id_ = 1;
};

}  // namespace dsim
