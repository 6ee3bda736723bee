// Edits of scenario JSON that the shrinker tries: each makes a scenario smaller in one
// way (a fault fewer or shorter, fewer nodes, a lower count). They work on the JSON
// generically, knowing no protocol; whether an edit still loads is for the loader to say.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::explore {

// A duration as scenario JSON writes it ("1.5s", or integer nanoseconds).
std::optional<int64_t> duration_ns(const Json& value);
Json duration_json(int64_t ns);

// The scripted faults ("faults.schedule"), or an empty array.
Json schedule_of(const Json& doc);
Json with_schedule(Json doc, Json schedule);

// `a` and `b` merged into one fault covering both, when they are the same fault (same
// action and fields) apart from their times, both undone after a while ("for"), and
// their spans overlap or touch.
std::optional<Json> merged_fault(const Json& a, const Json& b);

// A list of node names inside a fault: "node", "from", "to", or one of "groups".
struct NodeListRef {
  std::string key;
  std::optional<size_t> group;
};
std::vector<NodeListRef> node_lists(const Json& fault);
// The list itself (a one-name string is returned as is).
Json& node_list(Json& fault, const NodeListRef& ref);

// Integer settings the shrinker may lower: every integer under "workload" (through nested
// objects) and the node counts under "nodes" (the count, or each role's count).
std::vector<Json::json_pointer> integer_settings(const Json& doc);

// "nodes" written as {role: [names]}, naming nodes as the scenario loader does; and back
// to counts wherever a role's names are exactly those a count would give.
Json explicit_nodes(const Json& nodes);
Json compact_nodes(const Json& nodes);

}  // namespace dsim::explore
