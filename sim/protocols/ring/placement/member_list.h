// The member bookkeeping most algorithms share: a list in insertion order, plus
// lookups by tag. Algorithms rebuild their lookup structures from it on each change.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

class MemberList {
 public:
  void add(const Member& m) {
    for (const Member& x : members_) {
      if (x.tag == m.tag || x.name == m.name) throw std::logic_error("duplicate member " + m.name);
    }
    if (!(m.weight > 0)) throw std::logic_error("member " + m.name + " has a weight <= 0");
    members_.push_back(m);
  }
  void remove(NodeTag tag) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [tag](const Member& m) { return m.tag == tag; });
    if (it == members_.end()) throw std::logic_error("remove of a node that is not a member");
    members_.erase(it);
  }
  const std::vector<Member>& all() const { return members_; }
  size_t size() const { return members_.size(); }
  // Member index by tag (tags are small integers): index[tag], or SIZE_MAX if absent.
  std::vector<size_t> index_by_tag() const {
    NodeTag top = 0;
    for (const Member& m : members_) top = std::max(top, m.tag);
    std::vector<size_t> index(members_.empty() ? 0 : size_t{top} + 1, SIZE_MAX);
    for (size_t i = 0; i < members_.size(); ++i) index[members_[i].tag] = i;
    return index;
  }
  double total_weight() const {
    double w = 0;
    for (const Member& m : members_) w += m.weight;
    return w;
  }
  bool uniform_weights() const {
    for (const Member& m : members_) {
      if (m.weight != members_.front().weight) return false;
    }
    return true;
  }

 private:
  std::vector<Member> members_;
};

// The base of the algorithms that keep a MemberList and rebuild their lookup structure
// from it after every change (all but jump and the seed design, which order members
// their own way).
class RebuildingPlacement : public Placement {
 public:
  void add(const Member& m) final {
    members_.add(m);
    rebuild();
  }
  void add_all(std::span<const Member> ms) final {
    for (const Member& m : ms) members_.add(m);
    rebuild();
  }
  void remove(NodeTag tag) final {
    members_.remove(tag);
    rebuild();
  }
  const std::vector<Member>& members() const final { return members_.all(); }

 protected:
  virtual void rebuild() = 0;

  MemberList members_;
};

// True when `tag` is among the first `n` entries of `out` (replica lists are short).
inline bool contains_tag(const std::vector<NodeTag>& out, NodeTag tag) {
  return std::find(out.begin(), out.end(), tag) != out.end();
}

// Members in name order: the order the layouts that follow a host list walk it in, so
// that their result depends on the member set alone.
inline std::vector<const Member*> members_by_name(const MemberList& members) {
  std::vector<const Member*> out;
  for (const Member& m : members.all()) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](const Member* a, const Member* b) { return a->name < b->name; });
  return out;
}

// Tops `out` up to `want` tags with members it lacks, in name order. For layouts where a
// member can hold no point at all (a ketama server whose weight rounds to zero points, a
// groupcache peer whose points all collide): such members own nothing, but a replica list
// still names min(R, members) distinct nodes.
inline void complete_with_pointless_members(const MemberList& members, size_t want, std::vector<NodeTag>& out) {
  if (out.size() >= want) return;
  for (const Member* m : members_by_name(members)) {
    if (out.size() >= want) break;
    if (!contains_tag(out, m->tag)) out.push_back(m->tag);
  }
}

}  // namespace dsim::ring
