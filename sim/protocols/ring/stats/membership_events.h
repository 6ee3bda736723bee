// The membership changes ring-stats plays, resolved once into concrete (kind, node)
// steps so every algorithm sees exactly the same sequence.
//
// Spec tokens: add | add:NAME | add:K | remove | remove:NAME | remove:K | remove-last |
// crash[:NAME] | rejoin[:NAME] | crash-rejoin[:NAME]. A plain number K adds K new nodes or
// removes K distinct random members at once (the Maglev paper's concurrent failures): one
// event, measured once (so node names given to add:/remove: are never plain numbers). `remove`/`crash` without a name pick a member at
// random (seeded); `remove-last` removes the most recently added member (the only
// removal jump hash handles natively); `rejoin` re-adds the most recently crashed node
// under its old name (same points, same hashes). New nodes are called node-<number>.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dsim::ring {

struct MembershipEvent {
  enum class Kind { kAdd, kRemove };
  Kind kind = Kind::kAdd;
  std::string cause;  // "join", "leave", "crash", "rejoin"
  std::string node;
  uint32_t number = 0;  // the node's creation number (its tag in ring-stats)
  double weight = 1.0;
  bool with_previous = false;  // applied together with the event before it (add:K, remove:K)
};

struct EventPlan {
  std::vector<std::string> initial;  // node-0 .. node-(N-1)
  std::vector<double> initial_weights;
  std::vector<MembershipEvent> events;
  uint32_t nodes_created = 0;  // every tag is below this
};

// Throws std::invalid_argument naming the bad token. An empty spec with no random events
// means the default: remove one random node, then add a new one. `weights` (may be empty:
// all 1) are given to nodes by creation number, cycling.
EventPlan plan_events(uint32_t initial_nodes, const std::vector<std::string>& spec,
                      uint32_t random_events, const std::vector<double>& weights, uint64_t seed);
// The same, starting from named nodes with their own weights (a nodes file); nodes added
// by events get `weights` by creation number, cycling (empty: 1).
EventPlan plan_events(const std::vector<std::string>& initial_names, const std::vector<double>& initial_weights,
                      const std::vector<std::string>& spec, uint32_t random_events,
                      const std::vector<double>& weights, uint64_t seed);

const char* to_string(MembershipEvent::Kind k);

}  // namespace dsim::ring
