// The one source of randomness in the simulator.
//
// Algorithm: xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64. Both are
// fixed here, as are the distributions below (the standard library's distributions are
// implementation-defined and would make a trace depend on the compiler). Streams are
// derived from (seed, name): a component draws only from its own stream, so adding a
// component or a node never shifts what another one draws.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace dsim {

// FNV-1a, 64-bit: stable across platforms; used to name streams and hash scenarios.
uint64_t fnv1a64(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL);

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);

  // The stream called `name` under `seed`. Same (seed, name), same draws, always.
  static Rng stream(uint64_t seed, std::string_view name);
  // A child stream of this one's seed; does not advance this stream.
  Rng fork(std::string_view name) const { return stream(seed_, name); }

  // next_u64, uniform_real and bernoulli are inline: a 2PC run makes two or three draws
  // per message (loss, duplication, latency), and these calls were about 2% of its time
  // (sim/bench/FAMILIES.md, session 20).
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire's method).
  uint64_t uniform(uint64_t bound);
  // Uniform in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int64_t uniform_int(int64_t lo, int64_t hi);
  // Uniform in [0, 1), 53 random bits: k * 2^-53 for a uniform k in [0, 2^53).
  double uniform_real() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // True with probability p (none at p <= 0, always at p >= 1, and then no draw).
  bool bernoulli(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return uniform_real() < p;
  }
  // Exponential with the given mean, >= 0, in the mean's unit (callers pass ns).
  double exponential(double mean);
  // The inverse transform exponential() applies to its uniform draw u: -mean * ln(1 - u).
  // REQUIRES: u in [0, 1), a value uniform_real() makes.
  static double exponential_of_uniform(double u, double mean);
  // Standard normal (Box-Muller; one value per call, no cached pair, to keep state simple).
  double normal();
  // exp(N(ln median, sigma)): median-parameterised lognormal.
  double lognormal(double median, double sigma);
  // Pareto type I with minimum `scale` and tail index `shape`.
  double pareto(double scale, double shape);

  Duration uniform_duration(Duration lo, Duration hi) {
    return Duration{uniform_int(lo.ns, hi.ns)};
  }

  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      size_t j = static_cast<size_t>(uniform(i));
      std::swap(v[i - 1], v[j]);
    }
  }

  uint64_t seed() const { return seed_; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t seed_;
  uint64_t s_[4];
};

}  // namespace dsim
