#include "explore/shrink_moves.h"

#include "core/json_object.h"
#include "core/time.h"

namespace dsim::explore {

std::optional<int64_t> duration_ns(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (!value.is_string()) return std::nullopt;
  std::optional<Duration> d = parse_duration(value.get<std::string>());
  if (!d) return std::nullopt;
  return d->ns;
}

Json duration_json(int64_t ns) { return format_duration(Duration{ns}); }

Json schedule_of(const Json& doc) {
  if (doc.contains("faults") && doc["faults"].is_object() && doc["faults"].contains("schedule") &&
      doc["faults"]["schedule"].is_array()) {
    return doc["faults"]["schedule"];
  }
  return Json::array();
}

Json with_schedule(Json doc, Json schedule) {
  if (!doc["faults"].is_object()) doc["faults"] = Json::object();
  doc["faults"]["schedule"] = std::move(schedule);
  return doc;
}

std::optional<Json> merged_fault(const Json& a, const Json& b) {
  if (!a.is_object() || !b.is_object() || !a.contains("for") || !b.contains("for")) {
    return std::nullopt;
  }
  Json a_rest = a, b_rest = b;
  for (const char* key : {"at", "for"}) {
    a_rest.erase(key);
    b_rest.erase(key);
  }
  if (a_rest != b_rest) return std::nullopt;
  auto a_at = duration_ns(a["at"]), a_for = duration_ns(a["for"]);
  auto b_at = duration_ns(b["at"]), b_for = duration_ns(b["for"]);
  if (!a_at || !a_for || !b_at || !b_for) return std::nullopt;
  int64_t start = std::min(*a_at, *b_at);
  int64_t a_end = *a_at + *a_for, b_end = *b_at + *b_for;
  if (std::max(*a_at, *b_at) > std::min(a_end, b_end)) return std::nullopt;  // a gap between
  Json m = a;
  m["at"] = duration_json(start);
  m["for"] = duration_json(std::max(a_end, b_end) - start);
  return m;
}

std::vector<NodeListRef> node_lists(const Json& fault) {
  std::vector<NodeListRef> refs;
  for (const char* key : {"node", "from", "to"}) {
    if (fault.contains(key) && fault[key].is_array()) refs.push_back({key, std::nullopt});
  }
  if (fault.contains("groups") && fault["groups"].is_array()) {
    for (size_t g = 0; g < fault["groups"].size(); ++g) {
      if (fault["groups"][g].is_array()) refs.push_back({"groups", g});
    }
  }
  return refs;
}

Json& node_list(Json& fault, const NodeListRef& ref) {
  return ref.group ? fault[ref.key][*ref.group] : fault[ref.key];
}

namespace {

void collect_integers(const Json& value, Json::json_pointer at,
                      std::vector<Json::json_pointer>& out) {
  if (value.is_number_integer()) {
    out.push_back(at);
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) collect_integers(*it, at / it.key(), out);
  }
}

std::vector<std::string> names_for_count(const std::string& role, int64_t count, bool numbered_from_zero) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < count; ++i) {
    if (numbered_from_zero) {
      names.push_back("n" + std::to_string(i));
    } else {
      names.push_back(count == 1 ? role : role + std::to_string(i + 1));
    }
  }
  return names;
}

}  // namespace

std::vector<Json::json_pointer> integer_settings(const Json& doc) {
  std::vector<Json::json_pointer> out;
  if (doc.contains("workload")) collect_integers(doc["workload"], Json::json_pointer("/workload"), out);
  if (doc.contains("nodes")) collect_integers(doc["nodes"], Json::json_pointer("/nodes"), out);
  return out;
}

Json explicit_nodes(const Json& nodes) {
  if (nodes.is_number_integer()) {
    return json_object("node", names_for_count("node", nodes.get<int64_t>(), true));
  }
  Json out = Json::object();
  if (!nodes.is_object()) return nodes;
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    out[it.key()] = it->is_number_integer()
                        ? Json(names_for_count(it.key(), it->get<int64_t>(), false))
                        : *it;
  }
  return out;
}

Json compact_nodes(const Json& nodes) {
  if (!nodes.is_object()) return nodes;
  // The plain count form: one role "node" named n0..n(k-1).
  if (nodes.size() == 1 && nodes.contains("node") && nodes["node"].is_array() &&
      !nodes["node"].empty() &&
      nodes["node"] == Json(names_for_count("node", static_cast<int64_t>(nodes["node"].size()), true))) {
    return nodes["node"].size();
  }
  Json out = Json::object();
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    bool countable = it->is_array() &&
                     *it == Json(names_for_count(it.key(), static_cast<int64_t>(it->size()), false));
    out[it.key()] = countable ? Json(it->size()) : *it;
  }
  return out;
}

}  // namespace dsim::explore
