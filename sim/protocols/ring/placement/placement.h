// Placement: which physical node owns a key, and which R distinct nodes replicate it.
// One interface, one file per algorithm (ring, rendezvous, jump, maglev, bounded,
// multiprobe, seed) and per real-system layout (ketama, envoy-ring, envoy-maglev,
// cassandra, groupcache). Pure computation: no clock, no I/O, no randomness beyond hashing, so
// ring-stats, the simulated store and the tests all place keys identically.
//
// Membership changes one node at a time (add/remove). For every algorithm but `jump` the
// result depends only on the current member set (names, weights), never on the order of
// changes (tests/ring/placement_order_test.cpp); jump's depends on it by design.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/ring/placement/key_hash.h"

namespace dsim::ring {

// The caller's id for a node (ring-stats numbers nodes; the simulator uses NodeId).
using NodeTag = uint32_t;

struct Member {
  NodeTag tag = 0;
  std::string name;     // what the algorithm hashes to place the node; unique
  double weight = 1.0;  // relative capacity; only where supports_weights()
};

struct PlacementOptions {
  std::string algorithm = "ring";
  // ring, bounded: points per unit of weight (ketama: 160); cassandra: num_tokens per
  // node; groupcache: replicas per peer.
  uint32_t vnodes = 160;
  uint32_t table_size = 65537;    // maglev, envoy-maglev: M, a prime
  uint32_t probes = 21;           // multiprobe
  double epsilon = 0.25;          // bounded: capacity = ceil((1 + epsilon) * mean load)
  // envoy-ring: Envoy's minimum_ring_size and maximum_ring_size (its defaults).
  uint64_t min_ring_size = 1024;
  uint64_t max_ring_size = 8388608;
  uint64_t token_seed = 1;        // cassandra: the stream its random tokens are drawn from
};

class Placement {
 public:
  virtual ~Placement() = default;

  virtual std::string_view algorithm() const = 0;
  virtual bool supports_weights() const { return false; }
  // True when the result depends on the order of adds and removes, not only on the
  // member set: jump alone (tests/ring/placement_order_test.cpp checks every other).
  virtual bool depends_on_history() const { return false; }
  // False when a key's place depends on the other keys too (bounded loads): use assign().
  // owner()/preference_list() then answer without the load bound.
  virtual bool per_key() const { return true; }

  // REQUIRES: the tag and the name are not members yet; weight > 0.
  virtual void add(const Member& m) = 0;
  // Several at once, rebuilding the lookup structures once (joining 1,000 nodes one by one
  // would rebuild them 1,000 times). Same result as adding them in order.
  virtual void add_all(std::span<const Member> ms) {
    for (const Member& m : ms) add(m);
  }
  // REQUIRES: the tag is a member.
  virtual void remove(NodeTag tag) = 0;
  // In listing order (the order ties are broken in, where an algorithm has ties).
  virtual const std::vector<Member>& members() const = 0;

  // The key's position. Every algorithm but `seed` uses key_hash(key).
  virtual uint64_t hash_key(std::string_view key) const { return key_hash(key); }
  // REQUIRES: at least one member.
  virtual NodeTag owner(uint64_t key_hash) const = 0;
  // Clears `out`, then appends min(r, members) distinct nodes, most preferred first;
  // out[0] is owner(key_hash). REQUIRES: at least one member.
  virtual void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const = 0;
  // stride = min(r, members) owners per key, flattened in key order into `out` (resized).
  // Key order matters only when !per_key().
  virtual void assign(std::span<const uint64_t> key_hashes, size_t r,
                      std::vector<NodeTag>& out) const;

  // Each member's exact share of the hash space (members() order), where the algorithm
  // has one (ring arcs, maglev slots, jump 1/n, ...); empty otherwise. Free of the key
  // sampling noise that measured loads carry.
  virtual std::vector<double> exact_shares() const { return {}; }
  // Memory held by the lookup structures (points, tables), not counting member names.
  virtual size_t memory_bytes() const = 0;
};

// REQUIRES: options valid (check with validate_options first). Throws std::invalid_argument
// for an unknown algorithm.
std::unique_ptr<Placement> make_placement(const PlacementOptions& options);
// "" when valid, else what is wrong ("table_size 65536 is not a prime", ...).
std::string validate_options(const PlacementOptions& options);
const std::vector<std::string>& placement_algorithms();

// The heap bytes that building one placement of members with these `weights` (relative,
// each > 0) takes at its peak: its points or its table, and, for the point layouts, the
// list the points are built from while they are copied in. A memory estimate: computed
// from the options, allocating nothing. Envoy's ring holds min(ceil(min_w x
// min_ring_size) / min_w, max_ring_size) points (min_w the least normalised weight), so
// it grows with min_ring_size whatever the member count; maglev's table with table_size.
double placement_build_bytes(const PlacementOptions& options, const std::vector<double>& weights);

// How an algorithm hashes keys, for reports; algorithms with the same description give
// every key the same position.
std::string key_hash_description(std::string_view algorithm);

// Which options an algorithm reads, for reports: "vnodes", "table_size", ...
std::vector<std::string> options_used_by(std::string_view algorithm);

}  // namespace dsim::ring
