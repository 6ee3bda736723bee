// `envoy-maglev`: Envoy's Maglev load balancer (envoyproxy/envoy,
// source/extensions/load_balancing_policies/maglev/maglev_lb.cc), Eisenbud et al.'s table
// as Envoy fills it. Hosts are sorted by name (Envoy's fix for its order-dependent table,
// PR 28055); host X's permutation has offset XXH64(X, seed 0) mod M and skip
// XXH64(X, seed 1) mod (M - 1) + 1. Weights are normalised to w / sum; in pass k = 1, 2,
// ... a host takes a slot when k * weight >= its target, which then grows by the largest
// weight, so slot counts follow weights. A key is hashed with XXH64 (seed 0) and read at
// table[hash mod M] (Envoy's default M is 65537; here `table_size`). Replicas: the next
// distinct owners after the key's slot, as `maglev` does (Envoy has none). Verified
// against maglev_lb_test.cc's published tables in tests/ring/layouts_test.cpp.
#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"

namespace dsim::ring {
namespace {

constexpr NodeTag kEmpty = UINT32_MAX;

class EnvoyMaglev final : public RebuildingPlacement {
 public:
  explicit EnvoyMaglev(uint32_t table_size) : m_(table_size) {}

  std::string_view algorithm() const override { return "envoy-maglev"; }
  bool supports_weights() const override { return true; }
  uint64_t hash_key(std::string_view key) const override { return xxh64(key, 0); }

  NodeTag owner(uint64_t key_hash) const override { return table_[key_hash % m_]; }
  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    out.clear();
    const size_t want = std::min(r, members_.size());
    size_t slot = key_hash % m_;
    for (size_t steps = 0; steps < m_ && out.size() < want; ++steps) {
      if (!contains_tag(out, table_[slot])) out.push_back(table_[slot]);
      slot = slot + 1 == m_ ? 0 : slot + 1;
    }
    complete_with_pointless_members(members_, want, out);
  }
  std::vector<double> exact_shares() const override {
    std::vector<size_t> index = members_.index_by_tag();
    std::vector<double> share(members_.size(), 0.0);
    for (NodeTag t : table_) share[index[t]] += 1.0 / m_;
    return share;
  }
  size_t memory_bytes() const override { return table_.capacity() * sizeof(NodeTag); }

 private:
  struct Entry {
    NodeTag tag;
    uint64_t offset, skip;
    double weight;
    double target = 0;
    uint64_t next = 0;
  };

  void rebuild() override {
    table_.assign(m_, kEmpty);
    if (members_.size() == 0) return;
    const double sum = members_.total_weight();
    std::vector<Entry> entries;
    double max_weight = 0;
    for (const Member* h : members_by_name(members_)) {
      const double w = h->weight * 1.0 / sum;
      entries.push_back(Entry{h->tag, xxh64(h->name, 0) % m_, xxh64(h->name, 1) % (m_ - 1) + 1, w});
      max_weight = std::max(max_weight, w);
    }
    uint64_t filled = 0;
    for (uint32_t pass = 1; filled < m_; ++pass) {
      for (size_t i = 0; i < entries.size() && filled < m_; ++i) {
        Entry& e = entries[i];
        if (pass * e.weight < e.target) continue;
        e.target += max_weight;
        uint64_t slot = (e.offset + e.skip * e.next) % m_;
        while (table_[slot] != kEmpty) slot = (e.offset + e.skip * ++e.next) % m_;
        table_[slot] = e.tag;
        ++e.next;
        ++filled;
      }
    }
  }

  uint64_t m_;
  std::vector<NodeTag> table_;
};

}  // namespace

std::unique_ptr<Placement> make_envoy_maglev(uint32_t table_size) {
  return std::make_unique<EnvoyMaglev>(table_size);
}

}  // namespace dsim::ring
