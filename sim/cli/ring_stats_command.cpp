// dsim ring-stats: balance and key movement of the placement algorithms over a sequence
// of membership changes, as JSON. The statistics come from sim/protocols/ring/stats; this
// file parses options, times lookups (the one wall-clock measurement, kept out of the
// protocol code) and writes the result.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "protocols/ring/stats/ring_stats.h"
#include "runner/run_scenario.h"

namespace dsim::cli {
namespace {

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::stringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
  }
  return out;
}

template <typename T>
std::vector<T> parse_numbers(const std::string& option, const std::string& text) {
  std::vector<T> out;
  for (const std::string& item : split_list({text})) {
    std::istringstream in(item);
    T value{};
    if (!(in >> value) || !in.eof()) throw std::invalid_argument("--" + option + ": \"" + item + "\" is not a number");
    out.push_back(value);
  }
  if (out.empty()) throw std::invalid_argument("--" + option + ": expected at least one value");
  return out;
}

// Lookups (hash included) over the configuration's own keys, in chunks, until about
// 20 ms have passed or 200,000 keys were looked up. Bounded-load placement has no
// per-key lookup: it is timed placing a batch of keys, per key.
std::optional<double> time_lookups(const ring::Placement& p, std::span<const std::string> keys) {
  using Clock = std::chrono::steady_clock;
  const size_t limit = std::min<size_t>(keys.size(), 200'000);
  volatile uint64_t sink = 0;
  size_t done = 0;
  auto start = Clock::now();
  if (!p.per_key()) {
    std::vector<uint64_t> hashes(limit);
    for (size_t i = 0; i < limit; ++i) hashes[i] = p.hash_key(keys[i]);
    std::vector<ring::NodeTag> owners;
    p.assign(hashes, 1, owners);
    sink = sink + owners.back();
    done = limit;
  } else {
    while (done < limit && Clock::now() - start < std::chrono::milliseconds(20)) {
      size_t end = std::min(limit, done + 1024);
      uint64_t acc = 0;
      for (size_t i = done; i < end; ++i) acc += p.owner(p.hash_key(keys[i]));
      sink = sink + acc;
      done = end;
    }
  }
  auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  return done == 0 ? std::nullopt : std::optional<double>(elapsed / static_cast<double>(done));
}

void print_digest(std::ostream& out, const Json& result) {
  char line[256];
  for (const Json& c : result["configurations"]) {
    double moved = c["totals"]["moved_fraction"], ideal = c["totals"]["ideal_fraction"];
    std::string lookup = c["lookup_ns"].is_null() ? "-" : std::to_string(std::lround(c["lookup_ns"].get<double>()));
    std::string v = c.contains("vnodes") ? std::to_string(c["vnodes"].get<uint32_t>()) : "-";
    std::snprintf(line, sizeof line, "%-10s N=%-5u V=%-5s sd/mean %.4f peak/mean %.3f moved %.4f (ideal %.4f) lookup %s ns\n",
                  c["algorithm"].get<std::string>().c_str(), c["nodes"].get<uint32_t>(), v.c_str(),
                  c["load"]["stddev_over_mean"].get<double>(), c["load"]["peak_to_mean"].get<double>(), moved, ideal,
                  lookup.c_str());
    out << line;
  }
}

}  // namespace

int ring_stats_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim ring-stats [--algorithm ALG[,ALG...]] [--nodes N[,N...]] [--vnodes V[,V...]]\n"
      "                       [--keys K] [--seed S] [--events E[,E...]] [--out FILE] ...\n"
      "Places keys with each placement algorithm and configuration, plays the same membership\n"
      "events on each (default: remove one random node, then add one) and writes balance and\n"
      "key-movement statistics as JSON. Algorithms: ring, rendezvous, jump, maglev, bounded,\n"
      "multiprobe, seed; real-system layouts ketama, envoy-ring, envoy-maglev, cassandra,\n"
      "groupcache; or all. Events: add, add:NAME, add:K, remove, remove:NAME, remove:K (K nodes\n"
      "at once), remove-last, crash[:NAME], rejoin[:NAME], crash-rejoin[:NAME]. Same seed, same\n"
      "output (lookup_ns aside, which is measured; --no-timing makes it null).";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "algorithm", po::value<std::string>()->default_value("ring"), "algorithms, comma-separated, or all")(
      "nodes", po::value<std::string>()->default_value("100"), "initial node counts, comma-separated")(
      "vnodes", po::value<std::string>()->default_value("160"), "ring/bounded: points per node; cassandra: num_tokens; groupcache: replicas")(
      "keys", po::value<uint64_t>()->default_value(0), "keys per configuration (0: keys-per-node * nodes)")(
      "keys-per-node", po::value<uint64_t>()->default_value(10000), "keys per initial node when --keys is 0")(
      "seed", po::value<uint64_t>()->default_value(1), "seed: keys, random events")(
      "events", po::value<std::vector<std::string>>()->composing(), "membership events, in order")(
      "random-events", po::value<uint32_t>()->default_value(0), "append this many random events")(
      "replicas", po::value<size_t>()->default_value(1), "replica-set size R")(
      "probes", po::value<std::string>()->default_value("21"), "multiprobe: probes per key")(
      "table-size", po::value<std::string>()->default_value("65537"), "maglev, envoy-maglev: table size M (prime)")(
      "epsilon", po::value<std::string>()->default_value("0.25"), "bounded: capacity factor 1 + epsilon")(
      "weights", po::value<std::string>(), "node weights by node number, cycling (ring, rendezvous, maglev, bounded)")(
      "no-timing", "do not time lookups (lookup_ns: null; output byte-identical per seed)")(
      "out", po::value<std::string>()->default_value("-"), "output JSON file (- for stdout)");
  po::positional_options_description pos;
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  ring::RingStatsRequest r;
  Json result;
  try {
    std::string algorithms = vm["algorithm"].as<std::string>();
    r.algorithms = algorithms == "all" ? ring::placement_algorithms() : split_list({algorithms});
    r.nodes = parse_numbers<uint32_t>("nodes", vm["nodes"].as<std::string>());
    r.vnodes = parse_numbers<uint32_t>("vnodes", vm["vnodes"].as<std::string>());
    r.probes = parse_numbers<uint32_t>("probes", vm["probes"].as<std::string>());
    r.table_sizes = parse_numbers<uint32_t>("table-size", vm["table-size"].as<std::string>());
    r.epsilons = parse_numbers<double>("epsilon", vm["epsilon"].as<std::string>());
    if (vm.count("weights") != 0) r.weights = parse_numbers<double>("weights", vm["weights"].as<std::string>());
    r.keys = vm["keys"].as<uint64_t>();
    r.keys_per_node = vm["keys-per-node"].as<uint64_t>();
    r.seed = vm["seed"].as<uint64_t>();
    r.replicas = vm["replicas"].as<size_t>();
    r.random_events = vm["random-events"].as<uint32_t>();
    if (vm.count("events") != 0) r.events = split_list(vm["events"].as<std::vector<std::string>>());
    if (r.keys > 100'000'000 || r.keys_per_node > 1'000'000) {
      throw std::invalid_argument("--keys: at most 100,000,000 keys (and 1,000,000 per node)");
    }
    ring::LookupTimer timer = nullptr;
    if (vm.count("no-timing") == 0) timer = time_lookups;
    result = ring::run_ring_stats(r, timer);
  } catch (const std::invalid_argument& e) {
    std::cerr << "dsim ring-stats: " << e.what() << "\n";
    return kBadInput;
  }

  const std::string out = vm["out"].as<std::string>();
  std::string text = result.dump(2) + "\n";
  if (out == "-") {
    std::cout << text;
    return kOk;
  }
  std::string error;
  if (!write_file_atomically(out, text, error)) {
    std::cerr << "dsim ring-stats: " << error << "\n";
    return kIoError;
  }
  print_digest(std::cout, result);
  return kOk;
}

}  // namespace dsim::cli
