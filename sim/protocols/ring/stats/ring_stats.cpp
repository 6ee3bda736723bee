#include "protocols/ring/stats/ring_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "core/json_object.h"
#include "core/rng.h"
#include "protocols/ring/stats/load_summary.h"
#include "protocols/ring/stats/membership_events.h"
#include "protocols/ring/stats/movement.h"

namespace dsim::ring {
namespace {

struct Configuration {
  PlacementOptions options;
  uint32_t nodes = 0;
};

std::vector<Configuration> configurations(const RingStatsRequest& r) {
  std::vector<Configuration> out;
  for (const std::string& algorithm : r.algorithms) {
    std::vector<std::string> used = options_used_by(algorithm);
    auto uses = [&](const char* o) { return std::find(used.begin(), used.end(), o) != used.end(); };
    for (uint32_t n : r.nodes) {
      for (uint32_t v : uses("vnodes") ? r.vnodes : std::vector<uint32_t>{r.vnodes.front()}) {
        for (uint32_t m : uses("table_size") ? r.table_sizes : std::vector<uint32_t>{r.table_sizes.front()}) {
          for (uint32_t p : uses("probes") ? r.probes : std::vector<uint32_t>{r.probes.front()}) {
            for (double e : uses("epsilon") ? r.epsilons : std::vector<double>{r.epsilons.front()}) {
              Configuration c;
              c.options = PlacementOptions{algorithm, v, m, p, e};
              c.nodes = n;
              out.push_back(c);
            }
          }
        }
      }
    }
  }
  return out;
}

void validate(const RingStatsRequest& r) {
  if (r.algorithms.empty()) throw std::invalid_argument("--algorithm: expected at least one algorithm");
  if (r.nodes.empty() || r.vnodes.empty() || r.table_sizes.empty() || r.probes.empty() || r.epsilons.empty()) {
    throw std::invalid_argument("every list option needs at least one value");
  }
  for (uint32_t n : r.nodes) {
    if (n < 2 || n > 100000) throw std::invalid_argument("--nodes: expected 2..100000 nodes");
  }
  if (r.replicas < 1 || r.replicas > 16) throw std::invalid_argument("--replicas: expected 1..16");
  if (r.keys_per_node < 1) throw std::invalid_argument("--keys-per-node: expected at least 1");
  if (r.trials < 1 || r.trials > 10000) throw std::invalid_argument("--trials: expected 1..10000");
  bool uniform = true;
  for (double w : r.weights) {
    if (!(w > 0)) throw std::invalid_argument("--weights: expected positive weights");
    uniform = uniform && w == r.weights.front();
  }
  if (!r.node_list.empty()) {
    if (r.nodes.size() != 1 || r.nodes.front() != r.node_list.size()) {
      throw std::invalid_argument("--nodes-file: the file gives the nodes; no --nodes with it");
    }
    if (!r.weights.empty()) throw std::invalid_argument("--nodes-file: the file gives the weights; no --weights with it");
    if (r.trials != 1) {
      throw std::invalid_argument("--trials: nodes from a file are placed by their own names (one layout); "
                                  "--trials needs seeded layouts (--nodes)");
    }
    for (const Member& m : r.node_list) {
      if (!(m.weight > 0)) throw std::invalid_argument("--nodes-file: node \"" + m.name + "\" has no positive weight");
      uniform = uniform && m.weight == r.node_list.front().weight;
    }
  }
  for (const Configuration& c : configurations(r)) {
    std::string problem = validate_options(c.options);
    if (!problem.empty()) throw std::invalid_argument(problem);
    if (!uniform && !make_placement(c.options)->supports_weights()) {
      throw std::invalid_argument(std::string(r.node_list.empty() ? "--weights" : "--nodes-file") + ": algorithm \"" +
                                  c.options.algorithm + "\" has no weights");
    }
  }
}

// Loads of the first key copy (the primary) per member, in members() order.
std::vector<uint64_t> primary_counts(const Placement& p, const std::vector<NodeTag>& owners, size_t stride,
                                     uint32_t tag_limit) {
  std::vector<uint64_t> by_tag(tag_limit, 0);
  for (size_t i = 0; i < owners.size(); i += stride) ++by_tag[owners[i]];
  std::vector<uint64_t> out;
  for (const Member& m : p.members()) out.push_back(by_tag[m.tag]);
  return out;
}

std::vector<double> fair_shares(const Placement& p) {
  double total = 0;
  for (const Member& m : p.members()) total += m.weight;
  std::vector<double> out;
  for (const Member& m : p.members()) out.push_back(m.weight / total);
  return out;
}

double peak_to_mean(const Placement& p, const std::vector<NodeTag>& owners, size_t stride, uint32_t tag_limit) {
  return summarize_relative_loads(relative_loads(primary_counts(p, owners, stride, tag_limit), fair_shares(p)))
      .peak_to_mean;
}

Json noise_floor_json(const std::vector<double>& shares, double keys) {
  double sigma = sampling_noise_stddev(shares, keys);
  Json j = Json::object();
  j["stddev_over_mean"] = sigma;
  // The largest of N roughly normal loads sits near sqrt(2 ln N) standard deviations up.
  j["peak_to_mean"] = 1 + sigma * std::sqrt(2 * std::log(static_cast<double>(shares.size())));
  j["note"] = "spread that sampling K keys alone gives a perfectly balanced placement";
  return j;
}

// The name a node is placed by in a seeded layout: its own name plus the layout seed.
std::string layout_name(const std::string& name, std::optional<uint64_t> layout_seed) {
  if (!layout_seed) return name;
  char salt[20];
  std::snprintf(salt, sizeof salt, "#%016llx", static_cast<unsigned long long>(*layout_seed));
  return name + salt;
}

// Every node name a plan ever uses, by tag (creation number).
std::vector<std::string> names_by_tag(const EventPlan& plan) {
  std::vector<std::string> names(plan.nodes_created);
  for (size_t i = 0; i < plan.initial.size(); ++i) names[i] = plan.initial[i];
  for (const MembershipEvent& e : plan.events) names[e.number] = e.node;
  return names;
}

class Evaluator {
 public:
  Evaluator(const RingStatsRequest& r, const LookupTimer& timer) : r_(r), timer_(timer) {}

  // One trial: the nodes placed under `layout_seed` (nullopt: by their own names).
  Json run(const Configuration& c, const EventPlan& plan, std::span<const std::string> keys,
           std::span<const uint64_t> hashes, std::optional<uint64_t> layout_seed, bool timed) {
    std::unique_ptr<Placement> p = make_placement(c.options);
    std::vector<Member> initial;
    for (size_t i = 0; i < plan.initial.size(); ++i) {
      initial.push_back(Member{static_cast<NodeTag>(i), layout_name(plan.initial[i], layout_seed),
                               plan.initial_weights[i]});
    }
    p->add_all(initial);
    tag_names_ = names_by_tag(plan);
    const uint32_t tags = plan.nodes_created;
    std::vector<NodeTag> owners, next;
    p->assign(hashes, r_.replicas, owners);
    size_t stride = std::min(r_.replicas, p->members().size());

    Json out = header(c, *p, hashes.size());
    out["layout_seed"] = layout_seed ? Json(*layout_seed) : Json(nullptr);
    std::vector<double> shares = fair_shares(*p);
    const std::vector<uint64_t> counts = primary_counts(*p, owners, stride, tags);
    out["load"] = summarize_relative_loads(relative_loads(counts, shares)).to_json();
    std::vector<double> exact = p->exact_shares();
    out["node_loads"] = node_loads(*p, counts, exact);
    if (exact.empty()) {
      out["load_exact"] = nullptr;
    } else {
      for (size_t i = 0; i < exact.size(); ++i) exact[i] /= shares[i];
      out["load_exact"] = summarize_relative_loads(exact).to_json();
    }
    out["noise_floor"] = noise_floor_json(shares, static_cast<double>(hashes.size()));
    std::optional<double> ns = timer_ && timed ? timer_(*p, keys) : std::nullopt;
    out["lookup_ns"] = ns ? Json(*ns) : Json(nullptr);
    out["bytes_per_node"] = p->memory_bytes() / p->members().size();

    Json events = Json::array();
    double moved_sum = 0, ideal_sum = 0, others_sum = 0;
    size_t index = 0;
    for (size_t e = 0; e < plan.events.size(); ++index) {
      // One event, or a group (add:K, remove:K) applied at once and measured once.
      size_t end = e + 1;
      while (end < plan.events.size() && plan.events[end].with_previous) ++end;
      const MembershipEvent& ev = plan.events[e];
      const size_t before = p->members().size();
      const double total_before = total_weight(*p);
      std::vector<NodeTag> changed;
      std::vector<Member> added;
      double changed_weight = 0;
      for (size_t g = e; g < end; ++g) {
        const MembershipEvent& one = plan.events[g];
        changed.push_back(one.number);
        changed_weight += one.weight;
        if (one.kind == MembershipEvent::Kind::kAdd) {
          added.push_back(Member{one.number, layout_name(one.node, layout_seed), one.weight});
        } else {
          p->remove(one.number);
        }
      }
      if (!added.empty()) p->add_all(added);
      p->assign(hashes, r_.replicas, next);
      size_t next_stride = std::min(r_.replicas, p->members().size());
      Movement m = compare_assignments(owners, stride, next, next_stride, changed, tags, r_.moved_sample_limit);
      double ideal = ev.kind == MembershipEvent::Kind::kAdd ? changed_weight / total_weight(*p)
                                                            : changed_weight / total_before;
      Json j = event_json(index, ev, before, p->members().size(), m, ideal);
      Json names = Json::array();
      for (size_t g = e; g < end; ++g) names.push_back(plan.events[g].node);
      j["nodes"] = std::move(names);
      e = end;
      j["peak_to_mean_after"] = peak_to_mean(*p, next, next_stride, tags);
      events.push_back(std::move(j));
      moved_sum += static_cast<double>(m.moved) / static_cast<double>(m.keys);
      others_sum += static_cast<double>(m.moved_to_others) / static_cast<double>(m.keys);
      ideal_sum += ideal;
      owners.swap(next);
      stride = next_stride;
    }
    out["events"] = std::move(events);
    Json totals = Json::object();
    totals["moved_fraction"] = moved_sum;
    totals["ideal_fraction"] = ideal_sum;
    totals["moved_to_others"] = others_sum;
    totals["moved_over_ideal"] = ideal_sum > 0 ? moved_sum / ideal_sum : 0.0;
    out["totals"] = totals;
    return out;
  }

 private:
  static double total_weight(const Placement& p) {
    double w = 0;
    for (const Member& m : p.members()) w += m.weight;
    return w;
  }

  Json header(const Configuration& c, const Placement& p, size_t keys) const {
    Json out = Json::object();
    out["algorithm"] = c.options.algorithm;
    out["nodes"] = c.nodes;
    for (const std::string& o : options_used_by(c.options.algorithm)) {
      if (o == "vnodes") out["vnodes"] = c.options.vnodes;
      if (o == "table_size") out["table_size"] = c.options.table_size;
      if (o == "probes") out["probes"] = c.options.probes;
      if (o == "epsilon") out["epsilon"] = c.options.epsilon;
    }
    out["keys"] = keys;
    out["replicas"] = r_.replicas;
    if (!r_.weights.empty()) out["weights"] = r_.weights;
    out["key_hash"] = key_hash_description(c.options.algorithm);
    out["per_key_lookup"] = p.per_key();
    return out;
  }

  // Each initial member's primary keys and exact share of the hash space (null where the
  // algorithm has none), in member order: what a load CDF across nodes is drawn from.
  Json node_loads(const Placement& p, const std::vector<uint64_t>& counts, const std::vector<double>& exact) const {
    Json out = Json::array();
    const auto& members = p.members();
    for (size_t i = 0; i < members.size(); ++i) {
      out.push_back(json_object("node", name(members[i].tag), "weight", members[i].weight, "keys", counts[i],
                                "exact_share", exact.empty() ? Json(nullptr) : Json(exact[i])));
    }
    return out;
  }

  Json event_json(size_t index, const MembershipEvent& ev, size_t before, size_t after, const Movement& m,
                  double ideal) const {
    const double k = static_cast<double>(m.keys);
    Json j = Json::object();
    j["index"] = index;
    j["kind"] = to_string(ev.kind);
    j["cause"] = ev.cause;
    j["node"] = ev.node;
    j["nodes_before"] = before;
    j["nodes_after"] = after;
    j["moved_keys"] = m.moved;
    j["moved_fraction"] = static_cast<double>(m.moved) / k;
    j["ideal_fraction"] = ideal;
    j["moved_from_survivors"] = static_cast<double>(m.moved_from_survivors) / k;
    j["moved_to_others"] = static_cast<double>(m.moved_to_others) / k;
    j["nodes_gaining"] = m.nodes_gaining();
    j["nodes_losing"] = m.nodes_losing();
    if (r_.replicas > 1) {
      j["replica_copies_moved_fraction"] =
          m.replica_copies == 0 ? 0.0 : static_cast<double>(m.replica_copies_moved) / static_cast<double>(m.replica_copies);
    }
    if (ev.kind == MembershipEvent::Kind::kRemove) j["landed_on"] = landed_on(m);
    Json sample = Json::array();
    for (const KeyMove& km : m.sample) {
      sample.push_back(json_object("key", km.key, "from", name(km.from), "to", name(km.to)));
    }
    j["moved_sample"] = std::move(sample);
    return j;
  }

  // Where the moved keys went, most first (ties by tag), at most landed_limit nodes.
  Json landed_on(const Movement& m) const {
    std::vector<std::pair<uint64_t, NodeTag>> gains;
    for (NodeTag t = 0; t < m.gained.size(); ++t) {
      if (m.gained[t] > 0) gains.emplace_back(m.gained[t], t);
    }
    std::stable_sort(gains.begin(), gains.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    Json out = Json::array();
    uint64_t rest = 0;
    for (size_t i = 0; i < gains.size(); ++i) {
      if (i < r_.landed_limit) {
        out.push_back(json_object("node", name(gains[i].second), "keys", gains[i].first));
      } else {
        rest += gains[i].first;
      }
    }
    if (rest > 0) out.push_back(json_object("node", "(others)", "keys", rest));
    return out;
  }

  const std::string& name(NodeTag t) const { return tag_names_.at(t); }

  const RingStatsRequest& r_;
  const LookupTimer& timer_;
  std::vector<std::string> tag_names_;  // of the plan being run
};

// Mean, sample standard deviation (0 for one trial), min and max of each figure over the
// trials, in the shape of the figures: numbers become {"mean", "stddev", "min", "max"},
// objects and arrays are walked (`only`: the keys kept at this level; empty: all numbers).
Json spread(const std::vector<const Json*>& samples, const std::vector<std::string>& only = {}) {
  const Json& first = *samples.front();
  if (first.is_number()) {
    double sum = 0, low = first.get<double>(), high = low;
    for (const Json* j : samples) {
      const double v = j->get<double>();
      sum += v;
      low = std::min(low, v);
      high = std::max(high, v);
    }
    const double n = static_cast<double>(samples.size()), mean = sum / n;
    double squares = 0;
    for (const Json* j : samples) squares += (j->get<double>() - mean) * (j->get<double>() - mean);
    return json_object("mean", mean, "stddev", samples.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0, "min", low,
                       "max", high);
  }
  if (first.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < first.size(); ++i) {
      std::vector<const Json*> column;
      for (const Json* j : samples) column.push_back(&(*j)[i]);
      out.push_back(spread(column, only));
    }
    return out;
  }
  Json out = Json::object();
  if (!first.is_object()) return out;
  for (const auto& [key, value] : first.items()) {
    if (!only.empty() && std::find(only.begin(), only.end(), key) == only.end()) continue;
    if (!value.is_number() && !value.is_object()) continue;
    std::vector<const Json*> column;
    for (const Json* j : samples) column.push_back(&(*j)[key]);
    out[key] = spread(column);
  }
  return out;
}

// The "trials" block of one configuration, from its trials' reports.
Json trials_json(const std::vector<Json>& trials) {
  auto column = [&](const char* key) {
    std::vector<const Json*> out;
    for (const Json& t : trials) out.push_back(&t[key]);
    return out;
  };
  Json out = Json::object();
  out["count"] = trials.size();
  Json seeds = Json::array();
  for (const Json& t : trials) seeds.push_back(t["layout_seed"]);
  out["layout_seeds"] = std::move(seeds);
  out["load"] = spread(column("load"));
  out["load_exact"] = trials.front()["load_exact"].is_null() ? Json(nullptr) : spread(column("load_exact"));
  out["totals"] = spread(column("totals"));
  out["events"] = spread(column("events"), {"moved_fraction", "ideal_fraction", "moved_from_survivors",
                                            "moved_to_others", "nodes_gaining", "nodes_losing",
                                            "peak_to_mean_after", "replica_copies_moved_fraction"});
  return out;
}

}  // namespace

uint64_t ring_stats_layout_seed(uint64_t seed, uint32_t trial) {
  return Rng::stream(seed, "ring-stats/layout/" + std::to_string(trial)).next_u64();
}

std::vector<std::string> ring_stats_keys(uint64_t seed, uint64_t count) {
  Rng rng = Rng::stream(seed, "ring-stats/keys");
  std::vector<std::string> keys;
  keys.reserve(count);
  char buf[24];
  for (uint64_t i = 0; i < count; ++i) {
    std::snprintf(buf, sizeof buf, "key-%016llx", static_cast<unsigned long long>(rng.next_u64()));
    keys.emplace_back(buf);
  }
  return keys;
}

Json run_ring_stats(const RingStatsRequest& r, const LookupTimer& timer) {
  validate(r);
  uint64_t max_keys = r.keys;
  if (max_keys == 0) max_keys = r.keys_per_node * *std::max_element(r.nodes.begin(), r.nodes.end());
  std::vector<std::string> keys = ring_stats_keys(r.seed, max_keys);
  // Hashes computed once per key hash (the seed design and the real-system layouts hash
  // keys their own way).
  std::map<std::string, std::vector<uint64_t>> hashes;  // keyed by key_hash_description
  std::map<uint32_t, EventPlan> plans;
  for (uint32_t n : r.nodes) {
    if (r.node_list.empty()) {
      plans.emplace(n, plan_events(n, r.events, r.random_events, r.weights, r.seed));
    } else {
      std::vector<std::string> names;
      std::vector<double> weights;
      for (const Member& m : r.node_list) {
        names.push_back(m.name);
        weights.push_back(m.weight);
      }
      plans.emplace(n, plan_events(names, weights, r.events, r.random_events, {}, r.seed));
    }
  }

  Json configs = Json::array();
  Evaluator evaluator(r, timer);
  for (const Configuration& c : configurations(r)) {
    const uint64_t k = r.keys != 0 ? r.keys : r.keys_per_node * c.nodes;
    std::vector<uint64_t>& h = hashes[key_hash_description(c.options.algorithm)];
    if (h.size() < max_keys) {
      std::unique_ptr<Placement> hasher = make_placement(c.options);
      h.resize(max_keys);
      for (uint64_t i = 0; i < max_keys; ++i) h[i] = hasher->hash_key(keys[i]);
    }
    const EventPlan& plan = plans.at(c.nodes);
    std::vector<Json> trials;
    for (uint32_t t = 0; t < r.trials; ++t) {
      std::optional<uint64_t> layout;
      if (r.node_list.empty()) layout = ring_stats_layout_seed(r.seed, t);
      trials.push_back(evaluator.run(c, plan, std::span(keys).first(k), std::span(h).first(k), layout, t == 0));
    }
    Json trial0 = trials.front();
    trial0["trials"] = trials_json(trials);
    configs.push_back(std::move(trial0));
  }

  Json out = Json::object();
  out["format"] = "dsim-ring-stats";
  out["version"] = 1;
  out["seed"] = r.seed;
  out["replicas"] = r.replicas;
  out["events_spec"] = r.events;
  out["random_events"] = r.random_events;
  out["trials"] = r.trials;
  out["nodes_from"] = r.node_list.empty() ? Json("seeded layouts") : Json("nodes file");
  out["configurations"] = std::move(configs);
  return out;
}

}  // namespace dsim::ring
