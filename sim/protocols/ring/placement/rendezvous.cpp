// `rendezvous`: highest random weight (Thaler & Ravishankar). Every node scores every key
// with a hash of (key, node); the best score owns it, the next R-1 best replicate it.
// Minimal and balanced up to sampling noise, at O(nodes) per lookup. Weighted by the
// logarithmic method (Schindler): score = -ln(u) / weight, lowest wins, u uniform in
// (0,1) from the hash; node i then owns exactly weight_i / total of the hash space.
#include <algorithm>
#include <cmath>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/member_list.h"

namespace dsim::ring {
namespace {

constexpr uint64_t kNodeSeed = 0x72656e64657a766fULL;  // "rendezvo"

class Rendezvous final : public RebuildingPlacement {
 public:
  std::string_view algorithm() const override { return "rendezvous"; }
  bool supports_weights() const override { return true; }

  NodeTag owner(uint64_t key_hash) const override {
    size_t best = 0;
    if (uniform_) {
      uint64_t best_score = 0;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        uint64_t s = mix64(key_hash ^ nodes_[i].seed);
        if (i == 0 || s > best_score) best_score = s, best = i;
      }
    } else {
      double best_score = 0;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        double s = weighted_score(key_hash, nodes_[i]);
        if (i == 0 || s < best_score) best_score = s, best = i;
      }
    }
    return nodes_[best].tag;
  }

  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    // Ranked by (score, member order); uniform weights compare raw hashes (higher wins),
    // which ranks exactly as -ln(u) would.
    std::vector<std::pair<double, size_t>> ranked(nodes_.size());
    for (size_t i = 0; i < nodes_.size(); ++i) {
      double s = uniform_ ? -static_cast<double>(mix64(key_hash ^ nodes_[i].seed))
                          : weighted_score(key_hash, nodes_[i]);
      ranked[i] = {s, i};
    }
    size_t want = std::min(r, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(want), ranked.end());
    out.clear();
    for (size_t i = 0; i < want; ++i) out.push_back(nodes_[ranked[i].second].tag);
  }

  std::vector<double> exact_shares() const override {
    std::vector<double> share;
    const double total = members_.total_weight();
    for (const Member& m : members_.all()) share.push_back(m.weight / total);
    return share;
  }
  size_t memory_bytes() const override { return nodes_.capacity() * sizeof(Node); }

 private:
  struct Node {
    uint64_t seed;
    double weight;
    NodeTag tag;
  };

  static double weighted_score(uint64_t key_hash, const Node& n) {
    double u = (static_cast<double>(mix64(key_hash ^ n.seed) >> 11) + 0.5) * 0x1p-53;
    return -std::log(u) / n.weight;
  }

  // Scored in name order, so that equal scores (two names whose hashes collide) rank the
  // same way whatever order the members joined in.
  void rebuild() override {
    std::vector<const Member*> by_name;
    for (const Member& m : members_.all()) by_name.push_back(&m);
    std::sort(by_name.begin(), by_name.end(), [](const Member* a, const Member* b) { return a->name < b->name; });
    nodes_.clear();
    for (const Member* m : by_name) nodes_.push_back({xxh64(m->name, kNodeSeed), m->weight, m->tag});
    uniform_ = members_.uniform_weights();
  }

  std::vector<Node> nodes_;
  bool uniform_ = true;
};

}  // namespace

std::unique_ptr<Placement> make_rendezvous() { return std::make_unique<Rendezvous>(); }

}  // namespace dsim::ring
