#include "scenario/scenario.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/byte_size.h"
#include "core/rng.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_reader_parts.h"
#include "scenario/schedule_check.h"

namespace dsim {
namespace {

std::string hex64(uint64_t v) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Writes `value` at a dotted path, creating objects on the way; returns its JSON path
// ("$.faults.schedule[0].at"), as errors name it.
std::string apply_override(Json& doc, const Override& o, RoundedWholeNumbers& rounded) {
  // JSON text is UTF-8 (the file parser checks it); a command-line argument may not be.
  try {
    (void)Json(o.path).dump();
    (void)Json(o.value).dump();
  } catch (const Json::type_error&) {
    throw ScenarioError("--set", "$", "expected PATH=VALUE in UTF-8; \"" + o.path + "\" or its value is not");
  }
  Json* at = &doc;
  std::string path_so_far = "$";
  std::stringstream parts(o.path);
  std::string part;
  std::vector<std::string> keys;
  while (std::getline(parts, part, '.')) keys.push_back(part);
  if (keys.size() > kMaxJsonDepth) {
    throw ScenarioError("--set", o.path, "expected a path of at most " +
                                             std::to_string(kMaxJsonDepth) + " keys");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[i];
    if (k.empty()) throw ScenarioError("--set", o.path, "empty key in the path");
    Json* next = nullptr;
    if (at->is_array()) {
      size_t index = SIZE_MAX;  // stays so unless all of k is a number that fits
      auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), index);
      bool numeric = ec == std::errc() && end == k.data() + k.size();
      if (!numeric || index >= at->size()) {
        throw ScenarioError("--set", path_so_far,
                            "expected an index below " + std::to_string(at->size()) +
                                ", got \"" + k + "\"");
      }
      next = &(*at)[index];
      path_so_far += "[" + k + "]";
    } else {
      if (at->is_null()) *at = Json::object();
      if (!at->is_object()) {
        throw ScenarioError("--set", path_so_far, "is not an object, cannot set \"" + k + "\"");
      }
      next = &(*at)[k];
      path_so_far += "." + k;
    }
    at = next;
  }
  // JSON when it parses, else the text as a string; never nested beyond the file's limit.
  if (find_too_deep(o.value, kMaxJsonDepth) != std::string::npos) {
    throw ScenarioError("--set", o.path, "the value nests arrays and objects deeper than " +
                                             std::to_string(kMaxJsonDepth) + " levels");
  }
  // What the file had at the path is gone, its rounded numbers with it.
  for (auto it = rounded.begin(); it != rounded.end();) {
    const std::string& p = it->first;
    const bool under = p.rfind(path_so_far, 0) == 0 &&
                       (p.size() == path_so_far.size() || p[path_so_far.size()] == '.' || p[path_so_far.size()] == '[');
    it = under ? rounded.erase(it) : std::next(it);
  }
  Json parsed = parse_json_value(o.value, &rounded, path_so_far);
  *at = parsed.is_discarded() ? Json(o.value) : parsed;
  return path_so_far;
}

void read_nodes_section(ConfigReader& root, Cluster& cluster) {
  if (!root.has("nodes")) root.fail("nodes", "expected a node count or {role: count, ...}");
  const Json& v = root.json()["nodes"];
  root.accept("nodes");
  std::string path = root.key_path("nodes");
  auto add = [&](const std::string& name, const std::string& role, const std::string& where) {
    if (cluster.find(name)) throw ScenarioError(root.file(), where, "duplicate node name \"" + name + "\"");
    cluster.add(name, role);
  };
  if (v.is_number()) {  // a count, 5 or 5.0 alike (whole_number)
    int64_t n = root.integer("nodes", 0, 1, kMaxNodes);
    for (int64_t i = 0; i < n; ++i) add("n" + std::to_string(i), "node", path);
    return;
  }
  if (!v.is_object() || v.empty()) {
    root.fail("nodes", "expected a node count (integer >= 1) or an object {role: count or "
                       "[names]}, got " + v.dump());
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& role = it.key();
    std::string where = path + "." + role;
    if (it->is_null()) continue;  // a null role is one left out, as null is everywhere
    if (it->is_number()) {
      const std::string expected = "expected a count from 0 to " + std::to_string(kMaxNodes) + ", got ";
      const std::string from_set = root.path_given_by_set(where) ? " from --set" : "";
      // A count is read exactly, as every integer is: 2.9999999999999999 is not 3.
      if (std::optional<std::string> text = root.rounded_text(where)) {
        throw ScenarioError(root.file(), where, expected + *text + from_set + ConfigReader::not_whole_number("", *it));
      }
      std::optional<int64_t> count = whole_number(*it);
      const int64_t n = count.value_or(-1);
      if (n < 0 || n > kMaxNodes) throw ScenarioError(root.file(), where, expected + it->dump() + from_set);
      if (static_cast<int64_t>(cluster.size()) + n > kMaxNodes) {
        throw ScenarioError(root.file(), where,
                            "expected at most " + std::to_string(kMaxNodes) +
                                " nodes in total across roles; the roles so far have " +
                                std::to_string(cluster.size()) + " and this one adds " +
                                std::to_string(n));
      }
      for (int64_t i = 1; i <= n; ++i) add(n == 1 ? role : role + std::to_string(i), role, where);
    } else if (it->is_array()) {
      if (cluster.size() + it->size() > static_cast<size_t>(kMaxNodes)) {
        throw ScenarioError(root.file(), where,
                            "expected at most " + std::to_string(kMaxNodes) +
                                " nodes in total across roles");
      }
      for (size_t i = 0; i < it->size(); ++i) {
        std::string w = where + "[" + std::to_string(i) + "]";
        if (!(*it)[i].is_string()) throw ScenarioError(root.file(), w, "expected a node name");
        add((*it)[i].get<std::string>(), role, w);
      }
    } else {
      throw ScenarioError(root.file(), where, "expected a count or a list of names, got " + it->dump());
    }
  }
  if (cluster.size() == 0) root.fail("nodes", "expected at least one node");
}

void read_clocks(ConfigReader& root, Scenario& s) {
  ConfigReader r = root.object("clocks");
  ClockSettings& c = s.clock_settings;
  c.max_offset = r.duration("max_offset", Duration::zero());
  c.max_drift_ppm = r.integer("max_drift_ppm", 0, 0, 500000);
  ConfigReader per_node = r.object("nodes");
  for (auto it = per_node.json().begin(); it != per_node.json().end(); ++it) {
    if (it->is_null()) {  // left out, even for a name that is no node's
      per_node.accept(it.key());
      continue;
    }
    auto id = s.cluster.find(it.key());
    if (!id) per_node.fail(it.key(), "no node named \"" + it.key() + "\"");
    ConfigReader n = per_node.object(it.key());
    c.fixed.emplace_back(*id, NodeClock(n.duration("offset", Duration::zero(), true),
                                        n.integer("drift_ppm", 0, -500000, 500000)));
    n.finish();
  }
  per_node.finish();
  r.finish();
  s.sim.clocks = draw_clocks(c, s.cluster.size(), s.seed);
}

// limits.max_memory: a byte size ("4GiB", "512MiB") or an integer of bytes; 0 or
// "unlimited" turns the limit off.
uint64_t read_max_memory(ConfigReader& r) {
  const char* expected = "expected a byte size such as \"4GiB\" or \"512MiB\", an integer number "
                         "of bytes, or \"unlimited\" (or 0)";
  if (!r.has("max_memory")) {
    r.accept("max_memory");
    return kDefaultMaxMemory;
  }
  const Json& v = r.json()["max_memory"];
  // A negative or fractional number is no byte size: said in the byte size's terms.
  const double number = v.is_number() ? v.get<double>() : -1;
  const bool whole_bytes =
      v.is_number_unsigned() || (v.is_number_float() && !std::signbit(number) && number == std::floor(number));
  if (whole_bytes) return static_cast<uint64_t>(r.integer("max_memory", 0, 0, INT64_MAX));
  if (!v.is_string()) r.fail("max_memory", std::string(expected) + ", got " + v.dump());
  std::string text = r.string("max_memory", "");
  if (text == "unlimited") return 0;
  std::optional<uint64_t> bytes = parse_byte_size(text);
  if (!bytes) r.fail("max_memory", std::string(expected) + ", got \"" + text + "\"");
  return *bytes;
}

void read_limits(ConfigReader& root, Scenario& s) {
  ConfigReader r = root.object("limits");
  s.sim.limits.end = Instant{s.duration.ns};
  s.sim.limits.max_events = static_cast<uint64_t>(
      r.integer("max_events", 200'000'000, 1, INT64_MAX));
  // Default: 1,000,000, or 100 per node in a bigger cluster (a boot, a round every node
  // starts at once).
  const int64_t per_instant = std::max<int64_t>(1'000'000, 100 * static_cast<int64_t>(s.cluster.size()));
  s.sim.limits.max_events_per_instant =
      static_cast<uint64_t>(r.integer("max_events_per_instant", per_instant, 1, INT64_MAX));
  if (auto t = r.optional_duration("max_time")) s.sim.limits.max_time = Instant{t->ns};
  s.sim.limits.max_trace_bytes =
      static_cast<uint64_t>(r.integer("max_trace_bytes", int64_t{4} << 30, 1024, INT64_MAX));
  s.sim.stop_on_violation = r.boolean("stop_on_violation", true);
  s.sim.limits.max_memory = read_max_memory(r);
  r.finish();
}

// A limit the refused run would pass: the estimate rounded up to a power of two of MiB
// ("128GiB" for 100 GiB), or "" when that is beyond any sensible machine (above 1 EiB).
std::string limit_that_fits(double bytes) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  uint64_t mib = 1;
  while (static_cast<double>(mib * kMiB) < bytes) {
    if (mib >= (uint64_t{1} << 40)) return "";
    mib *= 2;
  }
  return mib >= 1024 ? std::to_string(mib / 1024) + "GiB" : std::to_string(mib) + "MiB";
}

// Refuses a run whose estimate is above the limit, before anything big is allocated.
void check_memory(ConfigReader& root, Scenario& s) {
  s.memory = estimate_memory(s);
  s.sim.limits.memory_baseline_bytes = static_cast<uint64_t>(s.memory.baseline_bytes());
  const uint64_t limit = s.sim.limits.max_memory;
  if (limit == 0 || s.memory.total_bytes() <= static_cast<double>(limit)) return;
  const std::string fits = limit_that_fits(s.memory.total_bytes());
  throw ScenarioError(root.file(), root.key_path("limits") + ".max_memory",
                      "this run needs an estimated " + s.memory.describe() + ", above the limit of " +
                          format_byte_size(static_cast<double>(limit)) +
                          "; make the scenario smaller, or raise limits.max_memory (" +
                          (fits.empty() ? "" : "--set limits.max_memory=" + fits + ", or ") +
                          "\"unlimited\")");
}

void read_network(ConfigReader& root, Scenario& s) {
  ConfigReader r = root.object("network");
  LinkConfig defaults;
  defaults.latency.kind = LatencyModel::Kind::kUniform;
  defaults.latency.value = Duration::millis(1);
  defaults.latency.max = Duration::millis(10);
  s.sim.link_defaults = read_link_config(r, defaults);
  for (ConfigReader& link : r.array("links")) {
    LinkRule rule;
    rule.from = NodeSet::of(s.cluster.size(), read_nodes(link, "from", s.cluster, true));
    rule.to = NodeSet::of(s.cluster.size(), read_nodes(link, "to", s.cluster, true));
    rule.config = read_link_config(link, s.sim.link_defaults);
    link.finish();
    s.sim.link_rules.push_back(std::move(rule));
  }
  r.finish();
}

// Throws unless `check` is one the scenario's family offers (naming the closest one).
void require_offered_check(const Scenario& s, const std::string& check, const std::string& file,
                           const std::string& where, const std::string& origin = "") {
  const std::vector<std::string> offered = check_names(*s.family);
  if (std::find(offered.begin(), offered.end(), check) != offered.end()) return;
  std::string list;
  for (const auto& c : offered) list += (list.empty() ? "" : ", ") + c;
  std::string hint = closest_match(check, offered);
  throw ScenarioError(file, where,
                      "protocol \"" + s.family->name + "\" offers the checks " + list +
                          "; got \"" + check + "\"" + origin +
                          (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

// Absent: the family's default checks; an explicit empty list: none (a benchmark of the
// engine alone).
void read_checks(ConfigReader& root, Scenario& s) {
  bool explicitly_none = root.has("checks") && root.json()["checks"].is_array() &&
                         root.json()["checks"].empty();
  // A list only, as the schema says: "checks": "atomicity" is refused, not read as a list.
  std::vector<std::string> named = root.strict_string_list("checks");
  if (named.empty()) {
    s.checks = explicitly_none ? std::vector<std::string>{} : default_check_names(*s.family);
    return;
  }
  const std::string origin = root.given_by_set("checks") ? " from --set" : "";
  for (size_t i = 0; i < named.size(); ++i) {
    require_offered_check(s, named[i], root.file(),
                          root.key_path("checks") + "[" + std::to_string(i) + "]", origin);
  }
  s.checks = named;
}

// The checks the file itself runs, before --set: its own "checks" (the strings in it), or
// the family's defaults when it names none.
std::vector<std::string> checks_of_file(const Json& file_checks, const Scenario& s) {
  if (!file_checks.is_array()) return default_check_names(*s.family);
  std::vector<std::string> out;
  for (const Json& c : file_checks) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

void read_expectation(ConfigReader& root, Scenario& s) {
  if (!root.has("expect")) {
    root.accept("expect");
    return;
  }
  ConfigReader e = root.object("expect");
  ScenarioExpectation x;
  x.exit_code = static_cast<int>(e.integer("exit", 0, 0, 1));
  x.check = e.string("check", "");
  if (x.exit_code == 1 && x.check.empty()) e.fail("check", "expected the name of the failing check");
  if (!x.check.empty()) {
    if (x.exit_code != 1) e.fail("check", "names the check expected to fail: only with \"exit\": 1");
    require_offered_check(s, x.check, e.file(), e.key_path("check"));
    if (std::find(s.checks.begin(), s.checks.end(), x.check) == s.checks.end()) {
      std::string list;
      for (const auto& c : s.checks) list += (list.empty() ? "" : ", ") + c;
      // The checks chosen on the command line leave out the one the file expects to fail:
      // refused where the user changed something, naming both values.
      if (root.path_given_by_set("$.checks") && !e.given_by_set("check")) {
        const std::string chosen = root.json().contains("checks") ? root.json().at("checks").dump() : "null";
        root.fail("checks", "--set checks=" + chosen + " leaves out \"" + x.check +
                                "\", the check expect.check says fails (\"exit\": 1); keep it in checks, or "
                                "also --set expect=null");
      }
      e.fail("check", "\"" + x.check + "\" is not among the checks this scenario runs (" +
                          (list.empty() ? "none" : list) + "), so it cannot fail");
    }
  }
  e.finish();
  s.expect = x;
}

// Each role named in "nodes" (even with no nodes, but not null: left out) is one of the
// family's, for this variant.
void check_node_roles(const ConfigReader& root, const ProtocolFamily& family, const std::string& variant) {
  const Json& nodes = root.json()["nodes"];
  if (family.roles.empty()) return;
  std::string known;
  for (const RoleRow& r : family.roles) {
    if (r.variants.empty() || std::find(r.variants.begin(), r.variants.end(), variant) != r.variants.end()) {
      known += (known.empty() ? "" : ", ") + r.role;
    }
  }
  if (!nodes.is_object()) {
    throw ScenarioError(root.file(), root.key_path("nodes"),
                        "the " + family.name + " protocol's nodes are given by role, {role: count or [names]}; "
                        "the roles of variant " + variant + ": " + known);
  }
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    if (it->is_null()) continue;  // left out
    auto row = std::find_if(family.roles.begin(), family.roles.end(),
                            [&](const RoleRow& r) { return r.role == it.key(); });
    std::string problem;
    if (row == family.roles.end()) {
      problem = "the " + family.name + " protocol has no role \"" + it.key() + "\"";
    } else if (!row->variants.empty() &&
               std::find(row->variants.begin(), row->variants.end(), variant) == row->variants.end()) {
      std::string list;
      for (const std::string& v : row->variants) list += (list.empty() ? "" : ", ") + v;
      problem = "the role \"" + it.key() + "\" applies only to the variant" +
                (row->variants.size() == 1 ? " " : "s ") + list + " (this run: variant " + variant +
                "; remove the entry, even an empty one)";
    } else {
      continue;
    }
    throw ScenarioError(root.file(), root.key_path("nodes") + "." + it.key(),
                        problem + "; the roles of variant " + variant + ": " + known);
  }
}

// `file_checks`: the "checks" the file gives, before --set (null when it gives none).
void read_protocol(ConfigReader& root, Scenario& s, const std::vector<ProtocolFamily>& families,
                   const Json& file_checks) {
  std::vector<std::string> names;
  std::string listed;
  for (const auto& f : families) {
    names.push_back(f.name);
    listed += (listed.empty() ? "" : ", ") + f.name;
  }
  // Required: refused where the user left it out or wrote null ("--set protocol=null"),
  // not at the "name" inside it, which the user did not write.
  if (!root.has("protocol")) {
    root.fail("protocol", "expected the protocol, an object {\"name\": NAME, ...} with NAME one of " + listed);
  }
  ConfigReader proto = root.object("protocol");
  ConfigReader workload = root.object("workload");
  if (!proto.has("name")) proto.fail("name", "expected the protocol's name, one of " + listed);
  std::string name = proto.choice("name", names, "");
  s.family = &*std::find_if(families.begin(), families.end(),
                            [&](const ProtocolFamily& f) { return f.name == name; });
  s.variant = proto.choice("variant", s.family->variants, s.family->variants.front());
  check_node_roles(root, *s.family, s.variant);
  read_checks(root, s);  // before the settings: a check's bound applies only with its check
  if (root.path_given_by_set("$.checks")) {
    auto own = std::make_shared<const std::vector<std::string>>(checks_of_file(file_checks, s));
    proto.set_file_checks(own);
    workload.set_file_checks(own);
  }
  ProtocolSettings settings{s.variant, proto, workload, s.cluster, s.duration, s.checks};
  s.protocol = std::shared_ptr<ProtocolRun>(s.family->configure(settings));
  proto.finish();
  workload.finish();
}

}  // namespace

std::vector<NodeClock> draw_clocks(const ClockSettings& settings, size_t nodes, uint64_t seed) {
  std::vector<NodeClock> clocks(nodes);
  if (settings.max_offset.ns > 0 || settings.max_drift_ppm > 0) {
    Rng rng = Rng::stream(seed, "clocks");
    for (auto& c : clocks) {
      Duration offset = rng.uniform_duration(-settings.max_offset, settings.max_offset);
      c = NodeClock(offset, rng.uniform_int(-settings.max_drift_ppm, settings.max_drift_ppm));
    }
  }
  for (const auto& [node, clock] : settings.fixed) clocks[node] = clock;
  return clocks;
}

Scenario reseeded(const Scenario& base, uint64_t seed) {
  Scenario s = base;
  s.seed = seed;
  s.sim.seed = seed;
  s.sim.clocks = draw_clocks(s.clock_settings, s.cluster.size(), seed);
  // A fresh ProtocolRun: a family may keep state of one run in it (the locks family's raft
  // ledger of applied indices does). One that can make it from its settings says so.
  if (std::unique_ptr<ProtocolRun> run = base.protocol->another_run()) {
    s.protocol = std::move(run);
    return s;
  }
  // Else from the already validated sections.
  ConfigReader root(s.document, s.file, "$");
  ConfigReader proto = root.object("protocol");
  ConfigReader workload = root.object("workload");
  proto.accept("name");
  proto.accept("variant");
  ProtocolSettings settings{s.variant, proto, workload, s.cluster, s.duration, s.checks};
  s.protocol = std::shared_ptr<ProtocolRun>(s.family->configure(settings));
  proto.finish();
  workload.finish();
  return s;
}

Override parse_override(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ScenarioError("--set", text, "expected PATH=VALUE, such as network.loss=0.1");
  }
  return Override{text.substr(0, eq), text.substr(eq + 1)};
}

Scenario ScenarioLoader::load_file(const std::string& path, const std::vector<Override>& overrides,
                                   std::optional<uint64_t> seed) const {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ScenarioError(path, "$", "is a directory, not a scenario file (to run every "
                                   "scenario in a folder: dsim run-set " + path + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "$", "cannot read the file");
  std::stringstream buf;
  buf << in.rdbuf();
  RoundedWholeNumbers rounded;
  Json document = parse_json_text(buf.str(), path, &rounded);
  return load_json(std::move(document), path, overrides, seed, std::move(rounded));
}

Scenario ScenarioLoader::load_json(Json document, const std::string& file,
                                   const std::vector<Override>& overrides,
                                   std::optional<uint64_t> seed, RoundedWholeNumbers rounded) const {
  return load(std::move(document), file, overrides, seed, std::move(rounded), /*built_in=*/false);
}

Scenario ScenarioLoader::load_built_in(Json document, const std::string& name, const std::vector<Override>& overrides,
                                       std::optional<uint64_t> seed) const {
  return load(std::move(document), name, overrides, seed, {}, /*built_in=*/true);
}

Scenario ScenarioLoader::load(Json document, const std::string& file, const std::vector<Override>& overrides,
                              std::optional<uint64_t> seed, RoundedWholeNumbers rounded, bool built_in) const {
  const Json file_checks =
      document.is_object() && document.contains("checks") ? document["checks"] : Json();
  auto overridden = std::make_shared<std::vector<std::string>>();
  for (const Override& o : overrides) overridden->push_back(apply_override(document, o, rounded));
  Scenario s;
  s.file = file;
  ConfigReader root(document, file, "$");
  root.set_overridden(std::move(overridden));
  root.set_rounded(std::make_shared<const RoundedWholeNumbers>(std::move(rounded)));
  root.set_built_in(built_in);
  s.name = root.string("name", "");
  if (s.name.empty()) root.fail("name", "expected a non-empty scenario name");
  s.description = root.string("description", "");
  s.seed = static_cast<uint64_t>(root.integer("seed", 1, 0, INT64_MAX));
  if (seed) s.seed = *seed;
  s.sim.seed = s.seed;
  s.duration = root.positive_duration("duration", Duration::seconds(10));
  read_nodes_section(root, s.cluster);
  s.sim.down_at_start = read_nodes(root, "down_at_start", s.cluster, false);
  read_network(root, s);
  read_clocks(root, s);
  {
    ConfigReader storage = root.object("storage");
    s.sim.keep_unsynced_fraction_max = storage.probability("keep_unsynced_max", 0.0);
    s.sim.torn_write_probability = storage.probability("torn_write", 0.0);
    storage.finish();
  }
  read_limits(root, s);
  {
    ConfigReader faults = root.object("faults");
    if (faults.has("schedule") && faults.json()["schedule"].is_array() &&
        faults.json()["schedule"].size() > static_cast<size_t>(kMaxScriptedFaults)) {
      faults.fail("schedule", "expected at most " + std::to_string(kMaxScriptedFaults) +
                                  " scripted faults, got " +
                                  std::to_string(faults.json()["schedule"].size()));
    }
    int64_t node_entries = 0;
    for (ConfigReader& entry : faults.array("schedule")) {
      s.scripted_faults.push_back(read_fault_action(entry, s.cluster, s.duration));
      node_entries += fault_node_entries(s.scripted_faults.back());
      if (node_entries > kMaxFaultNodeEntries) {
        entry.fail_here("the schedule names " + std::to_string(node_entries) +
                        " nodes in its faults so far (roles count every node); expected at most " +
                        std::to_string(kMaxFaultNodeEntries) + " in total");
      }
    }
    check_scripted_schedule(s.scripted_faults, s.cluster, s.sim.down_at_start, file);
    if (faults.has("random")) {
      ConfigReader random = faults.object("random");
      s.nemesis = read_nemesis(random, s.cluster, s.duration);
    } else {
      faults.accept("random");
    }
    faults.finish();
  }
  read_protocol(root, s, families_, file_checks);
  check_memory(root, s);
  read_expectation(root, s);
  root.optional_string("$schema");  // an editor's pointer to scenario.schema.json
  root.finish();

  Json hashed = document;
  hashed.erase("seed");
  s.hash = hex64(fnv1a64(hashed.dump()));
  s.document = std::move(document);
  return s;
}

}  // namespace dsim
