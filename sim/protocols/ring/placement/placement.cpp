#include "protocols/ring/placement/placement.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "protocols/ring/placement/algorithms.h"

namespace dsim::ring {
namespace {

bool is_prime(uint64_t n) {
  if (n < 2) return false;
  for (uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

}  // namespace

void Placement::assign(std::span<const uint64_t> key_hashes, size_t r, std::vector<NodeTag>& out) const {
  const size_t stride = std::min(r, members().size());
  out.resize(key_hashes.size() * stride);
  if (stride == 1) {
    for (size_t k = 0; k < key_hashes.size(); ++k) out[k] = owner(key_hashes[k]);
    return;
  }
  std::vector<NodeTag> list;
  for (size_t k = 0; k < key_hashes.size(); ++k) {
    preference_list(key_hashes[k], r, list);
    std::copy(list.begin(), list.end(), out.begin() + static_cast<std::ptrdiff_t>(k * stride));
  }
}

const std::vector<std::string>& placement_algorithms() {
  static const std::vector<std::string> kAll = {"ring",       "rendezvous",   "jump",      "maglev",    "bounded",
                                                "multiprobe", "seed",         "ketama",    "envoy-ring", "envoy-maglev",
                                                "cassandra",  "groupcache"};
  return kAll;
}

std::string key_hash_description(std::string_view algorithm) {
  if (algorithm == "seed") return "sha256, low 64 bits of the big-endian digest";
  if (algorithm == "ketama") return "md5, first 4 bytes little-endian (libketama)";
  if (algorithm == "envoy-ring" || algorithm == "envoy-maglev") return "xxh64, seed 0 (Envoy)";
  if (algorithm == "cassandra") return "murmur3 x64_128 h1 as a signed token (Murmur3Partitioner)";
  if (algorithm == "groupcache") return "crc32 ieee (groupcache)";
  return "key_hash (multiply-fold up to 32 bytes, xxh64 beyond)";
}

std::vector<std::string> options_used_by(std::string_view algorithm) {
  if (algorithm == "ring") return {"vnodes"};
  if (algorithm == "maglev") return {"table_size"};
  if (algorithm == "bounded") return {"vnodes", "epsilon"};
  if (algorithm == "multiprobe") return {"probes"};
  if (algorithm == "envoy-maglev") return {"table_size"};
  if (algorithm == "cassandra" || algorithm == "groupcache") return {"vnodes"};
  return {};
}

std::string validate_options(const PlacementOptions& o) {
  bool known = false;
  for (const std::string& a : placement_algorithms()) known = known || a == o.algorithm;
  if (!known) return "unknown algorithm \"" + o.algorithm + "\"";
  if (o.vnodes < 1 || o.vnodes > 100000) return "vnodes must be between 1 and 100000";
  if (o.table_size < 3 || o.table_size > 50'000'000 || !is_prime(o.table_size)) {
    return "table_size " + std::to_string(o.table_size) + " must be a prime between 3 and 5e7";
  }
  if (o.probes < 1 || o.probes > 1024) return "probes must be between 1 and 1024";
  if (!(o.epsilon > 0) || o.epsilon > 100) return "epsilon must be > 0 (and at most 100)";
  if (o.min_ring_size < 1 || o.max_ring_size > 8388608 || o.min_ring_size > o.max_ring_size) {
    return "min_ring_size and max_ring_size must satisfy 1 <= min <= max <= 8388608 (Envoy's bounds)";
  }
  return "";
}

double placement_build_bytes(const PlacementOptions& o, const std::vector<double>& weights) {
  const double members = static_cast<double>(weights.size());
  double sum = 0, least = 0;
  for (double w : weights) {
    sum += w;
    least = least == 0 ? w : std::min(least, w);
  }
  // A point layout builds a list of (position, tag) pairs (16 bytes, up to twice that
  // while the list grows) and copies it into its sorted points (16 bytes each) and
  // buckets. Measured peaks (README, "Memory limits"): 54 bytes a point at 1M points,
  // 36 at 8M; 56 keeps the estimate on the high side.
  constexpr double kPerPoint = 56;
  double points = 0;
  if (o.algorithm == "ring" || o.algorithm == "bounded") {
    for (double w : weights) points += std::max(1.0, std::round(o.vnodes * w));  // virtual_node_points
  } else if (o.algorithm == "cassandra" || o.algorithm == "groupcache") {
    points = o.vnodes * members;
  } else if (o.algorithm == "ketama") {
    points = 160 * members;
  } else if (o.algorithm == "envoy-ring" && members > 0) {
    const double min_weight = least / sum;
    points = std::min(std::ceil(min_weight * static_cast<double>(o.min_ring_size)) / min_weight,
                      static_cast<double>(o.max_ring_size));
  } else if (o.algorithm == "maglev" || o.algorithm == "envoy-maglev") {
    // The table, and each member's permutation state while it is filled.
    return sizeof(NodeTag) * static_cast<double>(o.table_size) + 64 * members;
  }
  // Every layout keeps its member list (a name, a weight, a tag each).
  return kPerPoint * points + 64 * members;
}

std::unique_ptr<Placement> make_placement(const PlacementOptions& o) {
  if (o.algorithm == "ring") return make_karger_ring(o.vnodes);
  if (o.algorithm == "rendezvous") return make_rendezvous();
  if (o.algorithm == "jump") return make_jump();
  if (o.algorithm == "maglev") return make_maglev(o.table_size);
  if (o.algorithm == "bounded") return make_bounded(o.vnodes, o.epsilon);
  if (o.algorithm == "multiprobe") return make_multiprobe(o.probes);
  if (o.algorithm == "seed") return make_seed();
  if (o.algorithm == "ketama") return make_ketama();
  if (o.algorithm == "envoy-ring") return make_envoy_ring(o.min_ring_size, o.max_ring_size);
  if (o.algorithm == "envoy-maglev") return make_envoy_maglev(o.table_size);
  if (o.algorithm == "cassandra") return make_cassandra(o.vnodes, o.token_seed);
  if (o.algorithm == "groupcache") return make_groupcache(o.vnodes);
  throw std::invalid_argument("unknown placement algorithm \"" + o.algorithm + "\"");
}

}  // namespace dsim::ring
