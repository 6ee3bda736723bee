// `seed`: the consistent hash of the project's seed document (section 4.1), reproduced
// faithfully so its behaviour can be measured. The Python:
//
//   ring[node] = sha256(str(node)).digest()               # one point per node
//   distance   = (hash_value + 16 - virtual_node) % 16    # node hash, key hash
//   get(key)   = the node with the smallest distance, first listed on ties (strict <)
//
// As written, `digest + 16` is bytes + int and raises TypeError; the formula only has a
// meaning with the digests read as integers, int.from_bytes(d, "big"), so that is what
// this does. Then (a + 16 - b) mod 16 == (a - b) mod 16 depends on the LOW 4 BITS of the
// digests only (the low nibble of their last byte): the "ring" has 16 positions, so at
// most 16 nodes ever own keys, nodes whose nibbles collide with an earlier-listed node
// own nothing, and loads follow the gaps between at most 16 random positions.
//
// Listing order is tag order (the order the caller names its nodes), as code calling
// ConsistentHash(live_nodes) on a fixed node list would. Replicas (the document has
// none): the R nodes with the smallest distances, ties in listing order, extending get().
#include <algorithm>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/sha256.h"

namespace dsim::ring {
namespace {

constexpr uint64_t kModulus = 16;  // the document's key_bytes

class SeedDesign final : public Placement {
 public:
  std::string_view algorithm() const override { return "seed"; }

  void add(const Member& m) override {
    for (const Member& x : members_) {
      if (x.tag == m.tag || x.name == m.name) throw std::logic_error("duplicate member " + m.name);
    }
    auto at = std::find_if(members_.begin(), members_.end(), [&](const Member& x) { return x.tag > m.tag; });
    size_t i = static_cast<size_t>(at - members_.begin());
    members_.insert(at, m);
    residues_.insert(residues_.begin() + static_cast<std::ptrdiff_t>(i),
                     sha256_low64(sha256(m.name)) % kModulus);
    rebuild();
  }
  void remove(NodeTag tag) override {
    auto at = std::find_if(members_.begin(), members_.end(), [&](const Member& x) { return x.tag == tag; });
    if (at == members_.end()) throw std::logic_error("remove of a node that is not a member");
    residues_.erase(residues_.begin() + (at - members_.begin()));
    members_.erase(at);
    rebuild();
  }
  const std::vector<Member>& members() const override { return members_; }

  // The low 64 bits of int.from_bytes(sha256(key), "big"): all the formula can see.
  uint64_t hash_key(std::string_view key) const override { return sha256_low64(sha256(key)); }

  NodeTag owner(uint64_t key_hash) const override { return winner_[key_hash % kModulus]; }

  void preference_list(uint64_t key_hash, size_t r, std::vector<NodeTag>& out) const override {
    std::vector<std::pair<uint64_t, size_t>> ranked;  // (distance, listing position)
    for (size_t i = 0; i < members_.size(); ++i) ranked.emplace_back(distance(residues_[i], key_hash), i);
    std::sort(ranked.begin(), ranked.end());
    out.clear();
    for (size_t i = 0; i < std::min(r, ranked.size()); ++i) out.push_back(members_[ranked[i].second].tag);
  }

  std::vector<double> exact_shares() const override {
    std::vector<double> share(members_.size(), 0.0);
    for (uint64_t k = 0; k < kModulus; ++k) {
      for (size_t i = 0; i < members_.size(); ++i) {
        if (members_[i].tag == winner_[k]) share[i] += 1.0 / kModulus;
      }
    }
    return share;
  }
  size_t memory_bytes() const override { return sizeof(winner_) + residues_.capacity() * sizeof(uint64_t); }

 private:
  static uint64_t distance(uint64_t node_residue, uint64_t key_hash) {
    return (node_residue + kModulus - key_hash % kModulus) % kModulus;
  }

  // get() for each of the 16 possible key residues, exactly as the Python loop runs.
  void rebuild() {
    for (uint64_t k = 0; k < kModulus; ++k) {
      uint64_t best = UINT64_MAX;
      for (size_t i = 0; i < members_.size(); ++i) {
        uint64_t d = distance(residues_[i], k);
        if (d < best) best = d, winner_[k] = members_[i].tag;
      }
    }
  }

  std::vector<Member> members_;    // in tag order
  std::vector<uint64_t> residues_;  // node digest mod 16, by listing position
  NodeTag winner_[kModulus] = {};
};

}  // namespace

std::unique_ptr<Placement> make_seed() { return std::make_unique<SeedDesign>(); }

}  // namespace dsim::ring
