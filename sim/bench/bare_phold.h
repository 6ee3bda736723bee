// The floor: PHOLD on a bare std::priority_queue, with nothing a simulator adds (no
// processes, no network model, no fault hooks, no slot tables). It draws exactly what dsim
// draws — destination from the stream "node/<name>", delay from "net/<name>" of the
// sending node, both dsim's Rng — and breaks ties on a sequence number as dsim does, so
// for the same workload it delivers the same tokens at the same instants in the same
// order (tests/core/bare_phold_test.cpp checks it). Header-only so that test can use it.
#pragma once

#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "bench/phold_workload.h"
#include "core/rng.h"

namespace dsim::bench {

struct BareDelivery {
  int64_t at_ns;
  uint32_t node;
};

struct BarePholdResult {
  uint64_t events = 0;
  int64_t last_event_ns = 0;
};

// The per-node random streams, built before the timed loop (as dsim builds them when it
// constructs the Simulation).
struct BarePholdStreams {
  std::vector<Rng> destination, delay;
  explicit BarePholdStreams(const PholdWorkload& w) {
    destination.reserve(w.nodes);
    delay.reserve(w.nodes);
    for (uint64_t n = 0; n < w.nodes; ++n) {
      std::string name = "n" + std::to_string(n);  // dsim's names for a "nodes": N cluster
      destination.push_back(Rng::stream(w.seed, "node/" + name));
      delay.push_back(Rng::stream(w.seed, "net/" + name));
    }
  }
};

// Runs the workload; appends every delivery to `record` when it is not null.
inline BarePholdResult run_bare_phold(const PholdWorkload& w, BarePholdStreams& streams,
                                      std::vector<BareDelivery>* record = nullptr) {
  struct Pending {
    int64_t at_ns;
    uint64_t seq;
    uint32_t node;
  };
  struct Later {
    bool operator()(const Pending& a, const Pending& b) const {
      return a.at_ns > b.at_ns || (a.at_ns == b.at_ns && a.seq > b.seq);
    }
  };
  std::priority_queue<Pending, std::vector<Pending>, Later> queue;
  uint64_t next_seq = 0;
  auto forward = [&](uint32_t from, int64_t now_ns) {
    auto to = static_cast<uint32_t>(streams.destination[from].uniform(w.nodes));
    int64_t delay_ns = streams.delay[from].uniform_int(kPholdDelayMin.ns, kPholdDelayMax.ns);
    queue.push({now_ns + delay_ns, next_seq++, to});
  };

  for (uint64_t n = 0; n < w.nodes; ++n) {
    for (uint64_t t = 0; t < w.tokens_per_node; ++t) forward(static_cast<uint32_t>(n), 0);
  }
  BarePholdResult result;
  while (!queue.empty() && queue.top().at_ns <= w.duration_ns && result.events < w.max_events) {
    Pending e = queue.top();
    queue.pop();
    ++result.events;
    result.last_event_ns = e.at_ns;
    if (record != nullptr) record->push_back({e.at_ns, e.node});
    forward(e.node, e.at_ns);
  }
  return result;
}

}  // namespace dsim::bench
