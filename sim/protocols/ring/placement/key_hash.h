// The 64-bit hashes every placement algorithm uses (except `seed`, which reproduces its
// source's SHA-256). Own implementations, fixed here so positions never change between
// compilers or library versions.
//
// Keys and node names: XXH64 (Yann Collet's xxHash, 64-bit variant, as specified in
// xxhash's doc/xxhash_spec.md), with a seed. Deriving more hashes from one 64-bit hash
// (rendezvous scores, multi-probe probes): the SplitMix64 finaliser (Steele, Lea &
// Flood 2014), a bijection with full avalanche.
#pragma once

#include <cstdint>
#include <string_view>

namespace dsim::ring {

uint64_t xxh64(std::string_view bytes, uint64_t seed = 0);

// SplitMix64's output function: every input bit flips each output bit with p ~ 1/2.
constexpr uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Uniform in [0, range) from a uniform 64-bit hash, without a division (Lemire's
// multiply-high "fast range"; same distribution as h mod range up to 2^-64 bias).
inline uint32_t fast_range(uint64_t h, uint32_t range) {
  return static_cast<uint32_t>((static_cast<unsigned __int128>(h) * range) >> 64);
}

}  // namespace dsim::ring
