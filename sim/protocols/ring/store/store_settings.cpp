#include "protocols/ring/store/store_settings.h"

#include <algorithm>
#include <stdexcept>

#include "protocols/ring/placement/nodes_list.h"
#include "scenario/setting_file.h"

namespace dsim::ring {
namespace {

using Type = Setting::Type;

size_t count(ConfigReader& r, const std::string& key) {
  return static_cast<size_t>(store_setting_table().integer(r, key));
}

// protocol.nodes_file: one "name [weight]" a line, one line per store, in cluster order.
void read_nodes_file(ProtocolSettings& s, StoreSettings& out) {
  ConfigReader& p = s.protocol;
  std::optional<SettingFile> file = read_setting_file(p, "nodes_file");
  if (!file) return;
  std::vector<Member> list;
  try {
    list = parse_nodes_list(file->text, file->path);
  } catch (const std::invalid_argument& e) {
    p.fail("nodes_file", e.what());
  }
  if (list.size() != out.stores.size()) {
    p.fail("nodes_file", file->path + ": expected one \"name [weight]\" line per store node (" +
                             std::to_string(out.stores.size()) + "), found " + std::to_string(list.size()));
  }
  const bool weighted = std::any_of(list.begin(), list.end(), [&](const Member& m) { return m.weight != list[0].weight; });
  if (weighted && !make_placement(out.placement)->supports_weights()) {
    p.fail("nodes_file", file->path + ": variant \"" + out.placement.algorithm +
                             "\" has no weights, but the file gives nodes different weights");
  }
  out.placement_names.assign(s.cluster.size(), "");
  out.placement_weights.assign(s.cluster.size(), 1.0);
  for (size_t i = 0; i < list.size(); ++i) {
    out.placement_names[out.stores[i]] = list[i].name;
    out.placement_weights[out.stores[i]] = list[i].weight;
  }
}

// The variants (placement algorithms) that read the placement option `option`.
std::vector<std::string> variants_using(const std::string& option) {
  std::vector<std::string> out;
  for (const std::string& a : placement_algorithms()) {
    std::vector<std::string> used = options_used_by(a);
    if (std::find(used.begin(), used.end(), option) != used.end()) out.push_back(a);
  }
  return out;
}

void read_protocol(ProtocolSettings& s, StoreSettings& out) {
  const SettingTable& t = store_setting_table();
  ConfigReader& p = s.protocol;
  // A placement option of another algorithm (vnodes with jump, table_size with ring) is
  // refused, saying which variants read it; the others keep their defaults.
  t.refuse_inapplicable(p, s.variant, s.cluster, &s.checks);
  auto applies = [&](const std::string& key) { return t.applies(p, key, s.variant, s.cluster, &s.checks); };
  out.placement.algorithm = s.variant;
  if (applies("vnodes")) out.placement.vnodes = static_cast<uint32_t>(count(p, "vnodes"));
  if (applies("table_size")) out.placement.table_size = static_cast<uint32_t>(count(p, "table_size"));
  if (applies("probes")) out.placement.probes = static_cast<uint32_t>(count(p, "probes"));
  if (applies("epsilon")) out.placement.epsilon = t.number(p, "epsilon");
  if (applies("min_ring_size")) out.placement.min_ring_size = count(p, "min_ring_size");
  if (applies("max_ring_size")) out.placement.max_ring_size = count(p, "max_ring_size");
  if (applies("token_seed")) out.placement.token_seed = count(p, "token_seed");
  require_order(p, {"min_ring_size", out.placement.min_ring_size}, SettingOrder::kAtMost,
                {"max_ring_size", out.placement.max_ring_size}, Blame::kLow);
  if (std::string problem = validate_options(out.placement); !problem.empty()) p.fail("table_size", problem);
  out.replicas = count(p, "replicas");
  auto quorum = [&](const std::string& key) {
    size_t q = static_cast<size_t>(t.integer(p, key, static_cast<int64_t>(out.replicas / 2 + 1)));
    if (q > out.replicas) p.fail(key, "expected at most replicas (" + std::to_string(out.replicas) + ")");
    return q;
  };
  out.write_quorum = quorum("write_quorum");
  out.read_quorum = quorum("read_quorum");
  out.heartbeat_interval = t.duration(p, "heartbeat_interval");
  out.suspect_timeout = t.duration(p, "suspect_timeout");
  out.request_timeout = t.duration(p, "request_timeout");
  require_order(p, {"heartbeat_interval", out.heartbeat_interval}, SettingOrder::kBelow,
                {"suspect_timeout", out.suspect_timeout}, Blame::kHigh);
  out.transfer_batch = count(p, "transfer_batch");
  out.moved_keys_traced = count(p, "moved_keys_traced");

  out.stores = s.cluster.with_role("store");
  out.clients = s.cluster.with_role("client");
  if (out.stores.empty() || out.clients.empty()) {
    fail_role_count(p, out.stores.empty() ? "store" : "client",
                    "the ring family needs nodes of role \"store\" and \"client\", e.g. \"nodes\": "
                    "{\"store\": 6, \"client\": 2}");
  }
  std::vector<std::string> initial = p.string_list("initial_members");
  if (initial.empty()) out.initial_members = out.stores;
  for (const std::string& name : initial) {
    auto id = s.cluster.find(name);
    if (!id || s.cluster.role(*id) != "store") p.fail("initial_members", "\"" + name + "\" is not a store node");
    out.initial_members.push_back(*id);
  }
  if (applies("nodes_file")) read_nodes_file(s, out);
}

void read_workload(ProtocolSettings& s, StoreSettings& out) {
  const SettingTable& t = store_setting_table();
  ConfigReader& w = s.workload;
  // A client setting with no operations (ops_per_second 0), or a check's bound without
  // its check, does nothing: refused, saying what it needs.
  t.refuse_inapplicable(w, s.variant, s.cluster, &s.checks);
  out.keys = count(w, "keys");
  out.ops_per_second = t.number(w, "ops_per_second");
  out.read_fraction = t.number(w, "read_fraction");
  out.start = t.duration(w, "start");
  out.stop = t.duration(w, "stop", s.duration - Duration::seconds(1));
  // An empty window issues no operation, and a run without one passes every check.
  require_order(w, {"start", out.start}, SettingOrder::kBelow, OrderedSetting::run_duration(s.duration), Blame::kLow);
  require_order(w, {"start", out.start}, SettingOrder::kBelow, {"stop", out.stop, "duration - 1s"}, Blame::kHigh);
  out.client_timeout = t.duration(w, "client_timeout");
  out.attempts = count(w, "attempts");
  out.avoid_after_timeout = t.duration(w, "avoid_after_timeout");
  out.availability_min = t.number(w, "availability_min");
  out.peak_to_mean_max = t.number(w, "peak_to_mean_max");
}


std::vector<std::string> all_but_jump() {
  std::vector<std::string> out;
  for (const std::string& a : placement_algorithms()) {
    if (a != "jump") out.push_back(a);
  }
  return out;
}

}  // namespace

const SettingTable& store_setting_table() {
  static const StoreSettings d;  // the defaults
  auto count = [](std::string section, std::string key, size_t fallback, int64_t min, int64_t max,
                  std::string unit, std::string meaning) {
    return Setting{.section = std::move(section), .key = std::move(key), .type = Type::kInteger,
                   .fallback = static_cast<int64_t>(fallback), .min = min, .max = max,
                   .unit = std::move(unit), .meaning = std::move(meaning)};
  };
  auto duration = [](std::string section, std::string key, Duration fallback, bool positive,
                     std::string meaning) {
    return Setting{.section = std::move(section), .key = std::move(key), .type = Type::kDuration,
                   .fallback = fallback, .positive = positive, .meaning = std::move(meaning)};
  };
  auto number = [](std::string section, std::string key, double fallback, double low, double high,
                   std::string unit, std::string meaning) {
    return Setting{.section = std::move(section), .key = std::move(key), .type = Type::kNumber,
                   .fallback = fallback, .low = low, .high = high, .unit = std::move(unit),
                   .meaning = std::move(meaning)};
  };
  // A placement option is read by the algorithms make_placement() hands it to: those
  // options_used_by() names for the options ring-stats sweeps, and for the others the one
  // layout that reads them. Refused with the other algorithms.
  auto option = [](Setting s, std::vector<std::string> readers = {}) {
    s.variants = readers.empty() ? variants_using(s.key) : std::move(readers);
    return s;
  };
  // A client setting means nothing when clients send no operations.
  auto with_operations = [](Setting s) {
    s.nonzero_key = "ops_per_second";
    return s;
  };
  // A check's bound means nothing when the check does not run.
  auto with_check = [](Setting s, std::string check) {
    s.checks = {std::move(check)};
    return s;
  };
  static const SettingTable kTable({
      option(count("protocol", "vnodes", d.placement.vnodes, 1, 100000, "points per node",
                   "ring, bounded: virtual nodes per store; cassandra: num_tokens; groupcache: replicas per peer")),
      option(count("protocol", "table_size", d.placement.table_size, 3, 50'000'000, "entries",
                   "maglev, envoy-maglev: lookup table size (a prime)")),
      option(count("protocol", "probes", d.placement.probes, 1, 1024, "probes", "multiprobe: probes per key")),
      option(number("protocol", "epsilon", d.placement.epsilon, 0.001, 100.0, "fraction",
                    "bounded: each node holds at most (1 + epsilon) times the mean load")),
      option(count("protocol", "min_ring_size", d.placement.min_ring_size, 1, 8388608, "points",
                   "envoy-ring: smallest ring (Envoy's minimum_ring_size)"),
             {"envoy-ring"}),
      option(count("protocol", "max_ring_size", d.placement.max_ring_size, 1, 8388608, "points",
                   "envoy-ring: largest ring (Envoy's maximum_ring_size)"),
             {"envoy-ring"}),
      option(count("protocol", "token_seed", d.placement.token_seed, 0, UINT32_MAX, "seed",
                   "cassandra: seed of the random tokens each node draws"),
             {"cassandra"}),
      count("protocol", "replicas", d.replicas, 1, 16, "nodes", "R: store nodes holding each key"),
      Setting{.section = "protocol", .key = "write_quorum", .type = Type::kInteger,
              .default_note = "replicas / 2 + 1", .min = 1, .max = 16, .unit = "acks",
              .meaning = "acks a put waits for (at most replicas)"},
      Setting{.section = "protocol", .key = "read_quorum", .type = Type::kInteger,
              .default_note = "replicas / 2 + 1", .min = 1, .max = 16, .unit = "replies",
              .meaning = "replies a get waits for (at most replicas)"},
      as_period(duration("protocol", "heartbeat_interval", d.heartbeat_interval, true,
                         "failure detector: each store's heartbeat period")),
      duration("protocol", "suspect_timeout", d.suspect_timeout, true,
               "a store silent this long leaves the view (longer than heartbeat_interval)"),
      duration("protocol", "request_timeout", d.request_timeout, true,
               "a coordinator's wait for its quorum"),
      count("protocol", "transfer_batch", d.transfer_batch, 1, 10000, "keys", "keys per transfer message"),
      count("protocol", "moved_keys_traced", d.moved_keys_traced, 0, 1000, "keys",
            "per membership change, moved keys listed in the trace"),
      // jump places by number alone and has no weights: names and weights do nothing there.
      Setting{.section = "protocol", .key = "nodes_file", .type = Type::kString,
              .default_note = "own names", .variants = all_but_jump(),
              .meaning = "file (path relative to the scenario) of one \"name [weight]\" a line per store, in "
                         "order: the names and weights the stores are placed by"},
      Setting{.section = "protocol", .key = "initial_members", .type = Type::kNames,
              .default_note = "every store", .meaning = "stores assumed up at boot"},
      count("workload", "keys", d.keys, 1, 1'000'000, "keys", "the key space: key-0 .. key-(keys-1)"),
      number("workload", "ops_per_second", d.ops_per_second, 0.0, 1e6, "ops/s",
             "per client, Poisson arrivals"),
      with_operations(number("workload", "read_fraction", d.read_fraction, 0.0, 1.0, "fraction",
                             "gets among operations")),
      duration("workload", "start", d.start, false, "clients start (membership has settled)"),
      Setting{.section = "workload", .key = "stop", .type = Type::kDuration,
              .default_note = "duration - 1s", .meaning = "clients issue no new operation after this"},
      with_operations(duration("workload", "client_timeout", d.client_timeout, true, "a client's wait per attempt")),
      with_operations(count("workload", "attempts", d.attempts, 1, 100, "attempts",
                            "per operation, each at another store")),
      with_operations(duration("workload", "avoid_after_timeout", d.avoid_after_timeout, false,
                               "a client skips a store that timed out for this long")),
      with_check(number("workload", "availability_min", d.availability_min, 0.0, 1.0, "fraction",
                        "check availability: operations that must succeed"),
                 "availability"),
      with_check(number("workload", "peak_to_mean_max", d.peak_to_mean_max, 1.0, 1e9, "ratio",
                        "check load_balance: highest load over mean load"),
                 "load_balance"),
  });
  return kTable;
}

const std::vector<RoleRow>& store_role_table() {
  static const std::vector<RoleRow> kRoles = {
      {.role = "store", .meaning = "holds keys, heartbeats the other stores, coordinates clients' gets and puts"},
      {.role = "client", .meaning = "sends gets and puts to the stores (Poisson arrivals)"},
  };
  return kRoles;
}

StoreSettings read_store_settings(ProtocolSettings& s) {
  StoreSettings out;
  read_protocol(s, out);
  read_workload(s, out);
  return out;
}

Member placement_member(const StoreSettings& settings, const Cluster& cluster, NodeId node) {
  if (settings.placement_names.empty()) return Member{node, cluster.name(node), 1.0};
  return Member{node, settings.placement_names.at(node), settings.placement_weights.at(node)};
}

std::string key_name(size_t index) { return "key-" + std::to_string(index); }

}  // namespace dsim::ring
