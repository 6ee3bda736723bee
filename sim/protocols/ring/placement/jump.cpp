// `jump`: Lamping & Veach's jump consistent hash. Buckets are numbered 0..n-1 and a key's
// bucket comes from a short pseudo-random walk, with no lookup structure at all. It can
// only grow or shrink at the END: removing bucket n-1 moves just that bucket's keys.
//
// Removing any other node is mapped honestly, as a real deployment would: the last
// bucket's node takes over the removed node's bucket number (swap-remove), so the
// removed node's keys move to it, and the last bucket's keys are re-spread over all
// buckets. That second group moved although neither its old nor its new owner changed
// membership: about 1/n of all keys of extra movement, which ring-stats counts as
// moved_to_others. Hence the listing order (bucket order) depends on history.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"

namespace dsim::ring {
namespace {

// The published algorithm: a 64-bit LCG drives jumps whose expected count is ln(n).
//
// The loop's critical path is b -> (b + 1) * step -> truncate -> b, once per jump (the
// step's division depends only on the LCG, so it runs ahead). Three changes from the
// published code shorten it, each measured on the 2.45 GHz EPYC this was written on:
// b stays a double, truncated with SSE4.1's roundsd instead of two int/double
// conversions (jump at 1000 buckets: 59 -> 47 ns); a fused multiply-add computes
// b * step + step without the add (-4 ns); and the exit test reads the product before it
// is truncated (-1.5 ns), which is the same test: for an integer n, trunc(x) >= n
// exactly when x >= n. Every build gives the same bucket for every key: b stays an
// integer well below 2^53, so b + 1 is exact and both (b + 1) * step and
// fma(b, step, step) are the one rounding of the same real number.
//
// walk_from() goes on from bucket b with the LCG at `key`; a walk starts at bucket 0.
template <bool kFused>
[[gnu::always_inline]] inline int64_t walk_from(uint64_t key, int64_t buckets, double b) {
  const double n = static_cast<double>(buckets);
  for (;;) {
    key = key * 2862933555777941757ULL + 1;
    const double step = 2147483648.0 / static_cast<double>((key >> 33) + 1);
    const double next = kFused ? __builtin_fma(b, step, step) : (b + 1) * step;
    if (next >= n) return static_cast<int64_t>(b);
    b = std::trunc(next);
  }
}

template <bool kFused>
[[gnu::always_inline]] inline int64_t walk(uint64_t key, int64_t buckets) {
  return walk_from<kFused>(key, buckets, 0);
}

// With FMA (and so SSE4.1 and AVX) there is a faster way for throughput: the walk's exit
// branch is mispredicted once a lookup, and the flush keeps the next lookup from starting
// under this one. Without a branch the CPU overlaps independent lookups. So: K steps
// without branches (a mask freezes b at the first step that leaves the range), then, in
// the rare walk still inside the range, the loop above goes on. K ~ ln(n) + 5 covers ~97%
// of walks; at 1000 buckets this took a standalone loop of lookups (hash included) from 47
// to 30-36 ns. Same buckets as walk(): the masked steps compute exactly what its loop does.
template <int K>
__attribute__((target("fma"))) int64_t walk_unrolled_fma(uint64_t key, int64_t buckets) {
  const __m128d n = _mm_set_sd(static_cast<double>(buckets));
  __m128d b = _mm_setzero_pd();
  __m128d inside = _mm_castsi128_pd(_mm_set1_epi64x(-1));  // all ones while walking
#pragma GCC unroll 32
  for (int k = 0; k < K; ++k) {
    key = key * 2862933555777941757ULL + 1;
    const __m128d step = _mm_set_sd(2147483648.0 / static_cast<double>((key >> 33) + 1));
    const __m128d next = _mm_fmadd_sd(b, step, step);
    inside = _mm_and_pd(_mm_cmplt_sd(next, n), inside);
    b = _mm_blendv_pd(b, _mm_round_sd(next, next, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC), inside);
  }
  const double reached = _mm_cvtsd_f64(b);
  if ((_mm_movemask_pd(inside) & 1) == 0) return static_cast<int64_t>(reached);
  return walk_from<true>(key, buckets, reached);
}

// The unrolled length for n buckets: the smallest listed K >= ln(n) + 5.
int unrolled_steps(size_t buckets) {
  const double want = std::log(static_cast<double>(std::max<size_t>(buckets, 1))) + 5;
  for (int k : {8, 12, 16, 20, 24}) {
    if (k >= want) return k;
  }
  return 28;
}

__attribute__((target("fma"))) int64_t walk_unrolled_fma(int steps, uint64_t key, int64_t buckets) {
  switch (steps) {
    case 8:
      return walk_unrolled_fma<8>(key, buckets);
    case 12:
      return walk_unrolled_fma<12>(key, buckets);
    case 16:
      return walk_unrolled_fma<16>(key, buckets);
    case 20:
      return walk_unrolled_fma<20>(key, buckets);
    case 24:
      return walk_unrolled_fma<24>(key, buckets);
    default:
      return walk_unrolled_fma<28>(key, buckets);
  }
}


int64_t walk_baseline(uint64_t key, int64_t n) { return walk<false>(key, n); }
__attribute__((target("sse4.1"))) int64_t walk_sse41(uint64_t key, int64_t n) { return walk<false>(key, n); }
__attribute__((target("fma"))) int64_t walk_fma(uint64_t key, int64_t n) { return walk<true>(key, n); }

using WalkFn = int64_t (*)(uint64_t, int64_t);
WalkFn walk_for(JumpBuild build) {
  switch (build) {
    case JumpBuild::kFma:
      return walk_fma;
    case JumpBuild::kSse41:
      return walk_sse41;
    case JumpBuild::kPortable:
      break;
  }
  return walk_baseline;
}

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// The walk through a function pointer, built for one instruction set. JumpFma below
// inlines its unrolled walk into owner() instead, the one virtual call a lookup makes.
class Jump : public Placement {
 public:
  std::string_view algorithm() const override { return "jump"; }
  bool depends_on_history() const override { return true; }

  void add(const Member& m) override {
    if (!known_tags_.insert(m.tag).second) throw std::logic_error("duplicate member " + m.name);
    if (!known_names_.insert(m.name).second) {
      known_tags_.erase(m.tag);
      throw std::logic_error("duplicate member " + m.name);
    }
    buckets_.push_back(m);
    tags_.push_back(m.tag);
  }
  void remove(NodeTag tag) override {
    auto it = std::find_if(buckets_.begin(), buckets_.end(), [tag](const Member& m) { return m.tag == tag; });
    if (it == buckets_.end()) throw std::logic_error("remove of a node that is not a member");
    known_tags_.erase(tag);
    known_names_.erase(it->name);
    tags_[static_cast<size_t>(it - buckets_.begin())] = tags_.back();
    *it = buckets_.back();  // a no-op when it is the last bucket
    buckets_.pop_back();
    tags_.pop_back();
  }
  const std::vector<Member>& members() const override { return buckets_; }

  explicit Jump(JumpBuild build) : walk_(walk_for(build)) {}

  NodeTag owner(uint64_t key_hash) const override {
    return tags_[static_cast<size_t>(jump_bucket(key_hash, static_cast<int64_t>(tags_.size())))];
  }

  // Replicas: re-hash the key (SplitMix64 steps) and jump again until R distinct buckets
  // came up; each replica is itself a jump hash, so it moves as little as the primary.
  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    const auto n = static_cast<int64_t>(buckets_.size());
    const size_t want = std::min(r, buckets_.size());
    size_t first = static_cast<size_t>(jump_bucket(key_hash, n));
    out.push_back(buckets_[first].tag);
    for (uint64_t k = 1; out.size() < want && k <= 32 * want; ++k) {
      NodeTag t = buckets_[static_cast<size_t>(jump_bucket(mix64(key_hash + k * kGolden), n))].tag;
      if (!contains_tag(out, t)) out.push_back(t);
    }
    // Bounded fallback for tiny clusters: the next buckets in order.
    for (size_t i = first + 1; out.size() < want; ++i) {
      NodeTag t = buckets_[i % buckets_.size()].tag;
      if (!contains_tag(out, t)) out.push_back(t);
    }
  }

  std::vector<double> exact_shares() const override {
    return std::vector<double>(buckets_.size(), 1.0 / static_cast<double>(buckets_.size()));
  }
  size_t memory_bytes() const override { return tags_.capacity() * sizeof(NodeTag); }

 protected:
  int64_t jump_bucket(uint64_t key_hash, int64_t buckets) const { return walk_(key_hash, buckets); }

  std::vector<Member> buckets_;  // bucket number -> node
  std::vector<NodeTag> tags_;    // the same, tags only: 4 KB at 1000 nodes, stays in L1
  WalkFn walk_;
  std::set<NodeTag> known_tags_;       // duplicate checks in O(log n): tests build
  std::set<std::string> known_names_;  // 60,000-bucket placements
};

class JumpFma final : public Jump {
 public:
  JumpFma() : Jump(JumpBuild::kFma) {}
  void add(const Member& m) override {
    Jump::add(m);
    steps_ = unrolled_steps(tags_.size());
  }
  void remove(NodeTag tag) override {
    Jump::remove(tag);
    steps_ = unrolled_steps(tags_.size());
  }
  __attribute__((target("fma"))) NodeTag owner(uint64_t key_hash) const override {
    return tags_[static_cast<size_t>(walk_unrolled_fma(steps_, key_hash, static_cast<int64_t>(tags_.size())))];
  }

 private:
  int steps_ = 8;
};

}  // namespace

JumpBuild best_jump_build() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("fma")) return JumpBuild::kFma;
  if (__builtin_cpu_supports("sse4.1")) return JumpBuild::kSse41;
  return JumpBuild::kPortable;
}

std::unique_ptr<Placement> make_jump(JumpBuild build) {
  if (build == JumpBuild::kFma) return std::make_unique<JumpFma>();
  return std::make_unique<Jump>(build);
}

std::unique_ptr<Placement> make_jump() { return make_jump(best_jump_build()); }

}  // namespace dsim::ring
