// Which of a run's checkers are shown an event of each kind (Checker::event_kinds). A
// run's checkers each read a few of its protocol's event types; calling every checker for
// every event, only for most to find the event is not theirs, was a fifth of a 2PC run.
// The route of a kind is found by the kind's address (one probe of a small table) and
// built on the first event of that kind; it lists the checkers in the order they were
// added, so they see each event in the same order as before.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "check/checker.h"
#include "core/payload.h"

namespace dsim {

class CheckerRoutes {
 public:
  // Adds `c` (owned elsewhere, outliving this) after the ones added before; asks it its
  // kinds now.
  void add(Checker* c) {
    all_.push_back(c);
    wants_.push_back(c->event_kinds());
    filtered_ = filtered_ || !wants_.back().empty();
    routes_.clear();
    route_kinds_.clear();
    table_.clear();
  }

  // The checkers to show an event of `kind`, in the order they were added. Valid until the
  // next call (a new kind's route may move the others).
  const std::vector<Checker*>& to(const PayloadKind* kind) {
    if (!filtered_) return all_;  // no checker chose: every one sees every event
    if (!table_.empty()) {
      for (size_t i = slot(kind);; i = (i + 1) & (table_.size() - 1)) {
        if (table_[i].kind == kind) return routes_[table_[i].route];
        if (table_[i].kind == nullptr) break;
      }
    }
    return add_route(kind);
  }

 private:
  struct Entry {
    const PayloadKind* kind = nullptr;
    uint32_t route = 0;
  };

  size_t slot(const PayloadKind* kind) const {
    // The kinds are static objects: their addresses differ in the middle bits.
    uint64_t h = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(kind)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> 40) & (table_.size() - 1);
  }

  const std::vector<Checker*>& add_route(const PayloadKind* kind) {
    std::vector<Checker*> route;
    for (size_t i = 0; i < all_.size(); ++i) {
      const std::vector<const PayloadKind*>& w = wants_[i];
      if (w.empty() || std::find(w.begin(), w.end(), kind) != w.end()) route.push_back(all_[i]);
    }
    routes_.push_back(std::move(route));
    if (table_.size() < 2 * routes_.size()) {
      // At most half full; rebuilt from the routes (a handful of kinds in a run).
      table_.assign(std::max<size_t>(32, table_.size() * 2), Entry{});
      for (size_t r = 0; r + 1 < routes_.size(); ++r) place(route_kinds_[r], static_cast<uint32_t>(r));
    }
    route_kinds_.push_back(kind);
    place(kind, static_cast<uint32_t>(routes_.size() - 1));
    return routes_.back();
  }

  void place(const PayloadKind* kind, uint32_t route) {
    size_t i = slot(kind);
    while (table_[i].kind != nullptr) i = (i + 1) & (table_.size() - 1);
    table_[i] = Entry{kind, route};
  }

  std::vector<Checker*> all_;
  std::vector<std::vector<const PayloadKind*>> wants_;  // by checker, as all_; empty: every kind
  bool filtered_ = false;                               // some checker chose its kinds
  std::vector<std::vector<Checker*>> routes_;           // one per kind met so far
  std::vector<const PayloadKind*> route_kinds_;         // the kind of each route
  std::vector<Entry> table_;                            // kind -> route, open addressing
};

}  // namespace dsim
