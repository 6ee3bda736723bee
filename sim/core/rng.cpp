#include "core/rng.h"

#include <cmath>

namespace dsim {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

uint64_t fnv1a64(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t x = seed;
  for (uint64_t& word : s_) word = splitmix64(x);
}

Rng Rng::stream(uint64_t seed, std::string_view name) {
  uint64_t mixed = seed;
  uint64_t salt = fnv1a64(name);
  // Two rounds so that nearby seeds and similar names land far apart.
  mixed = splitmix64(mixed) ^ salt;
  return Rng(splitmix64(mixed));
}

uint64_t Rng::uniform(uint64_t bound) {
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < bound) {
    uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + uniform(span + 1));
}

// -log1p(-u), written as log(1 - u): the same number, as 1 - u is exact for every u that
// uniform_real() makes (k * 2^-53, so 1 - u = (2^53 - k) * 2^-53 needs 53 bits at most).
// glibc's log costs about a third of its log1p a call, and half of it in a 2PC run (6.4%
// of the run's time for log1p, 3.5% for log: sim/bench/FAMILIES.md, session 20). The two may
// differ in the last bit, and so may the draws; a caller's whole nanoseconds then differ
// only when that bit crosses one, which none of 50 million draws of mean 2 ms did.
// 0 - x rather than -x: u = 0 gives +0, as log1p's form did.
double Rng::exponential_of_uniform(double u, double mean) { return 0.0 - mean * std::log(1.0 - u); }

double Rng::exponential(double mean) { return exponential_of_uniform(uniform_real(), mean); }

double Rng::normal() {
  double u1 = 1.0 - uniform_real();  // (0, 1]: log is finite
  double u2 = uniform_real();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

double Rng::pareto(double scale, double shape) {
  double u = 1.0 - uniform_real();  // (0, 1]
  return scale / std::pow(u, 1.0 / shape);
}

}  // namespace dsim
