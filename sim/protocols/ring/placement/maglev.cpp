// `maglev`: Google's Maglev lookup table (Eisenbud et al., NSDI 2016). Each node walks
// its own permutation of the M table slots (offset + j * skip mod M, M prime) and the
// nodes take turns claiming their next free slot until the table is full; a key's owner
// is table[slot(key)]. Lookups are one table read; balance is near perfect (each node
// gets M/n slots, +-1); the price is extra movement on membership changes, since
// refilling shifts some slots between surviving nodes too (the paper's "disruption").
//
// The table is a function of the member set alone: nodes take their turns in name order,
// not in the order they joined. Filled in join order, a node that left and came back
// took its turns last, so its table differed from a peer's with the same members, and two
// coordinators with equal views chose different replicas (stale reads at quorums of 1).
// Envoy shipped that bug (envoyproxy/envoy issue 20703) and fixed it the same way, by
// sorting its hosts before filling the table (PR 28055); tests/ring/placement_order_test.cpp
// pins it.
//
// Weights: in each pass a node earns weight/max_weight turns (credit carried over), so
// slot counts follow weights. Replicas: the next distinct owners after the key's slot.
// Slot choice uses Lemire's fast range on the key hash rather than hash mod M.
#include <algorithm>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"

namespace dsim::ring {
namespace {

constexpr uint64_t kOffsetSeed = 0x6d61676c65766f66ULL;
constexpr uint64_t kSkipSeed = 0x6d61676c65767370ULL;
constexpr NodeTag kEmpty = UINT32_MAX;

class Maglev final : public RebuildingPlacement {
 public:
  explicit Maglev(uint32_t table_size) : m_(table_size) {}

  std::string_view algorithm() const override { return "maglev"; }
  bool supports_weights() const override { return true; }

  NodeTag owner(uint64_t key_hash) const override { return table_[fast_range(key_hash, m_)]; }

  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    const size_t want = std::min(r, members_.size());
    size_t slot = fast_range(key_hash, m_);
    for (size_t steps = 0; steps < m_ && out.size() < want; ++steps) {
      if (!contains_tag(out, table_[slot])) out.push_back(table_[slot]);
      slot = slot + 1 == m_ ? 0 : slot + 1;
    }
  }

  std::vector<double> exact_shares() const override {
    std::vector<size_t> index = members_.index_by_tag();
    std::vector<double> share(members_.size(), 0.0);
    for (NodeTag t : table_) share[index[t]] += 1.0 / m_;
    return share;
  }
  size_t memory_bytes() const override { return table_.capacity() * sizeof(NodeTag); }

 private:
  void rebuild() override {
    std::vector<const Member*> all;  // in name order: the turn order must not be history
    for (const Member& m : members_.all()) all.push_back(&m);
    std::sort(all.begin(), all.end(), [](const Member* a, const Member* b) { return a->name < b->name; });
    const size_t n = all.size();
    table_.assign(m_, kEmpty);
    if (n == 0) return;
    std::vector<uint64_t> offset(n), skip(n), next(n, 0);
    std::vector<double> credit(n, 0.0);
    double max_weight = 0;
    for (size_t i = 0; i < n; ++i) {
      offset[i] = xxh64(all[i]->name, kOffsetSeed) % m_;
      skip[i] = xxh64(all[i]->name, kSkipSeed) % (m_ - 1) + 1;
      max_weight = std::max(max_weight, all[i]->weight);
    }
    size_t filled = 0;
    while (filled < m_) {
      for (size_t i = 0; i < n && filled < m_; ++i) {
        credit[i] += all[i]->weight / max_weight;
        while (credit[i] >= 1.0 && filled < m_) {
          credit[i] -= 1.0;
          uint64_t slot = (offset[i] + next[i] * skip[i]) % m_;
          while (table_[slot] != kEmpty) {
            ++next[i];
            slot = (offset[i] + next[i] * skip[i]) % m_;
          }
          table_[slot] = all[i]->tag;
          ++next[i];
          ++filled;
        }
      }
    }
  }

  uint32_t m_;
  std::vector<NodeTag> table_;
};

}  // namespace

std::unique_ptr<Placement> make_maglev(uint32_t table_size) {
  return std::make_unique<Maglev>(table_size);
}

}  // namespace dsim::ring
