// Constructors of the placement algorithms, one per file; make_placement() picks one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

// Karger et al. 1997: `vnodes` points per unit of weight on a hash circle.
std::unique_ptr<Placement> make_karger_ring(uint32_t vnodes);
// Thaler & Ravishankar 1998, weighted by the logarithmic method (Schindler 2016).
std::unique_ptr<Placement> make_rendezvous();
// Lamping & Veach 2014, its walk built for the fastest instruction set this CPU runs.
std::unique_ptr<Placement> make_jump();
// The same with its walk built for one instruction set (every build gives the same
// buckets; tests compare each this CPU runs with the published code). REQUIRES: the CPU
// runs `build` (best_jump_build() says which is the fastest it runs).
enum class JumpBuild { kPortable, kSse41, kFma };
JumpBuild best_jump_build();
std::unique_ptr<Placement> make_jump(JumpBuild build);
// Eisenbud et al. 2016 (Maglev), table of prime size `table_size`.
std::unique_ptr<Placement> make_maglev(uint32_t table_size);
// Mirrokni, Thorup & Zadimoghaddam 2018, on a Karger ring of `vnodes` points per node.
std::unique_ptr<Placement> make_bounded(uint32_t vnodes, double epsilon);
// Appleton & Eisenbud 2015.
std::unique_ptr<Placement> make_multiprobe(uint32_t probes);
// The design of the project's seed document (section 4.1), flaws included.
std::unique_ptr<Placement> make_seed();

// The layouts of real systems, each placing keys exactly as the system does (see each
// file for the source and its tests for the published vectors it reproduces).
// libketama's continuum (MD5, 160 points per server scaled by weight).
std::unique_ptr<Placement> make_ketama();
// A key's ketama position: the first four bytes of its MD5, little-endian.
uint32_t ketama_hash(std::string_view key);
// Envoy's ring hash (XXH64 of "name_i", minimum and maximum ring size, weights).
std::unique_ptr<Placement> make_envoy_ring(uint64_t min_ring_size, uint64_t max_ring_size);
// Envoy's Maglev table (hosts in name order, XXH64 offsets and skips, weights).
std::unique_ptr<Placement> make_envoy_maglev(uint32_t table_size);
// Cassandra: Murmur3Partitioner tokens, `num_tokens` random tokens a node drawn from
// `token_seed`, SimpleStrategy replicas.
std::unique_ptr<Placement> make_cassandra(uint32_t num_tokens, uint64_t token_seed);
// A key's Murmur3Partitioner token (signed, as Cassandra prints it).
int64_t cassandra_token(std::string_view key);
// groupcache's consistenthash.Map: `replicas` points a peer at hash(itoa(i) + name). The
// hash is CRC-32/IEEE unless given (groupcache's tests substitute their own).
std::unique_ptr<Placement> make_groupcache(uint32_t replicas,
                                           std::function<uint32_t(std::string_view)> hash = nullptr);

}  // namespace dsim::ring
