// Coverage of a protocol's behaviour: counts the protocol events (ctx.trace() names, a
// proxy for the states and transitions the protocol went through) seen in one run. It
// is an observer: it never reports a violation and adds nothing to the run's summary;
// it writes its counts into a map the caller owns, which outlives the simulation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "check/checker.h"

namespace dsim::explore {

using EventCounts = std::map<std::string, uint64_t, std::less<>>;

class ProtocolEventCounter final : public Checker {
 public:
  explicit ProtocolEventCounter(EventCounts& out) : counts_(out) {}
  std::string_view name() const override { return "protocol_event_counter"; }
  void observe(const Observation& o, CheckerView&) override {
    if (!o.from_protocol) return;
    // A typed event's kind names it: its count is found by the kind's address (one probe
    // of a small table, as check/checker_routes.h finds a route), not by a string search
    // of the map on every event. The table only finds counts: nothing walks it.
    if (const PayloadKind* kind = o.typed.kind()) {
      ++*count_of(kind, o.event);
      return;
    }
    ++slot(o.event);
  }

 private:
  struct Entry {
    const PayloadKind* kind = nullptr;
    uint64_t* count = nullptr;
  };

  uint64_t& slot(std::string_view event) {
    auto it = counts_.find(event);
    if (it == counts_.end()) it = counts_.emplace(std::string(event), 0).first;
    return it->second;  // a std::map's values stay put as it grows
  }

  static size_t hash(const PayloadKind* kind) {
    // The kinds are static objects: their addresses differ in the middle bits.
    uint64_t h = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(kind)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> 40);
  }

  // The count of `kind` (named `event`), its entry made on its first event.
  uint64_t* count_of(const PayloadKind* kind, std::string_view event) {
    const size_t mask = table_.size() - 1;
    for (size_t i = hash(kind) & mask;; i = (i + 1) & mask) {
      if (table_[i].kind == kind) return table_[i].count;
      if (table_[i].kind == nullptr) break;
    }
    uint64_t* count = &slot(event);
    if (2 * (kinds_ + 1) > table_.size()) {  // at most half full: rebuilt twice as large
      std::vector<Entry> old = std::move(table_);
      table_.assign(old.size() * 2, Entry{});
      for (const Entry& e : old) {
        if (e.kind != nullptr) place(e);
      }
    }
    place(Entry{kind, count});
    ++kinds_;
    return count;
  }
  void place(Entry e) {
    const size_t mask = table_.size() - 1;
    size_t i = hash(e.kind) & mask;
    while (table_[i].kind != nullptr) i = (i + 1) & mask;
    table_[i] = e;
  }

  EventCounts& counts_;
  std::vector<Entry> table_ = std::vector<Entry>(64);  // kind -> its count in counts_; a power of two
  size_t kinds_ = 0;                                   // entries in table_
};

}  // namespace dsim::explore
