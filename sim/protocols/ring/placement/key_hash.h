// The 64-bit hashes every placement algorithm uses (except `seed`, which reproduces its
// source's SHA-256, and the real-system layouts, which use their systems' hashes).
//
// Node names (ring points, maglev permutations, rendezvous and multi-probe positions):
// XXH64 (Yann Collet's xxHash, 64-bit variant) from Debian's libxxhash, with a seed; its
// output is fixed by xxhash's specification (doc/xxhash_spec.md), and tests pin vectors so
// a library change that moved positions would fail them. Keys: key_hash() below, the
// project's own, kept because every lookup pays it: on short keys it is about a third of
// XXH64's time (ring_bench: hash_only), and beyond 32 bytes it is the library's XXH64. Deriving more hashes from one 64-bit hash
// (rendezvous scores, multi-probe probes): the SplitMix64 finaliser (Steele, Lea &
// Flood 2014), a bijection with full avalanche.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace dsim::ring {

// XXH64 of the bytes (libxxhash).
uint64_t xxh64(std::string_view bytes, uint64_t seed = 0);

// A key's 64-bit position. Up to 32 bytes it reads the key as (at most four, possibly
// overlapping) little-endian words and folds them with two independent 64x64->128-bit
// multiplies and one more across them: two multiplies deep where XXH64 is about ten on a
// 20-byte key, which is most of a jump-hash lookup's budget. Longer keys use XXH64.
// Fixed here (tests pin vectors), so key positions never change between builds. Inline:
// the call alone would be a tenth of a jump lookup.
inline uint64_t key_hash(std::string_view key);

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

namespace key_hash_detail {

inline uint64_t load64(const unsigned char* p) {  // little-endian on every target we build
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The 128-bit product of a and b, folded to 64 bits: every input bit reaches the middle
// output bits, and the xor of both halves keeps the high bits' good mixing.
inline uint64_t multiply_fold(uint64_t a, uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
}

// Odd constants with about half their bits set (XXH64's five primes), one per input
// word, so no word is multiplied by zero unless it equals its constant.
constexpr uint64_t kSalt[5] = {0x9E3779B185EBCA87ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL,
                               0x85EBCA77C2B2AE63ULL, 0x27D4EB2F165667C5ULL};

}  // namespace key_hash_detail

inline uint64_t key_hash(std::string_view key) {
  using namespace key_hash_detail;
  const auto* p = reinterpret_cast<const unsigned char*>(key.data());
  const size_t len = key.size();
  if (len > 32) return xxh64(key, 0);
  uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  if (len >= 16) {  // [0,8) [8,16) [len-16,len-8) [len-8,len): every byte, some twice
    w0 = load64(p);
    w1 = load64(p + 8);
    w2 = load64(p + len - 16);
    w3 = load64(p + len - 8);
  } else if (len >= 8) {
    w0 = load64(p);
    w1 = load64(p + len - 8);
  } else if (len >= 4) {
    w0 = load32(p);
    w1 = load32(p + len - 4);
  } else if (len > 0) {
    w0 = (uint64_t{p[0]} << 16) | (uint64_t{p[len / 2]} << 8) | p[len - 1];
  }
  // Two folds side by side, then one across them: three multiplies, two deep. The
  // length enters too, so keys that pad to the same words still differ.
  const uint64_t a = multiply_fold(w0 ^ kSalt[0], w1 ^ kSalt[1]);
  const uint64_t b = multiply_fold(w2 ^ kSalt[2], w3 ^ kSalt[3] ^ len);
  return multiply_fold(a ^ kSalt[4], b ^ kSalt[0]);
}

}  // namespace dsim::ring
