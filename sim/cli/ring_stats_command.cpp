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
#include "cli/ring_nodes_file.h"
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

// Keys are held in memory: about 80 bytes each with their hashes and owners (30 million
// keys peaked at 2.35 GB), so at most 20 million (about 1.6 GB).
constexpr uint64_t kMaxKeys = 20'000'000;

// An existing file at --out is replaced only if it holds ring-stats output.
bool is_ring_stats_head(std::string_view head) {
  return head.rfind("{\n  \"format\": \"dsim-ring-stats\"", 0) == 0;
}
const OutputKind kRingStatsOutput{"ring-stats result", is_ring_stats_head, /*stdout_allowed=*/true};

}  // namespace

int ring_stats_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim ring-stats [--algorithm ALG[,ALG...]] [--nodes N[,N...]] [--vnodes V[,V...]]\n"
      "                       [--keys K] [--seed S] [--events E[,E...]] [--trials T] [--out FILE] ...\n"
      "Places keys with each placement algorithm and configuration, plays the same membership\n"
      "events on each (default: remove one random node, then add one) and writes balance and\n"
      "key-movement statistics as JSON. Algorithms: ring, rendezvous, jump, maglev, bounded,\n"
      "multiprobe, seed; real-system layouts ketama, envoy-ring, envoy-maglev, cassandra,\n"
      "groupcache; or all. Events: add, add:NAME, add:K, remove, remove:NAME, remove:K (K nodes\n"
      "at once), remove-last, crash[:NAME], rejoin[:NAME], crash-rejoin[:NAME]. Node layouts\n"
      "come from the seed: --trials T repeats each configuration over T seeded layouts and adds\n"
      "the mean, stddev, min and max of every figure (\"trials\"; the other figures are trial\n"
      "0's). --nodes-file places the file's nodes by their own names (one layout). Lists\n"
      "(--nodes, --vnodes, --probes, --table-size, --epsilon) sweep every combination an\n"
      "algorithm uses. Weights: ring, rendezvous, maglev, bounded, ketama, envoy-ring,\n"
      "envoy-maglev; jump, multiprobe, seed, cassandra and groupcache have none. Same seed,\n"
      "same output (lookup_ns aside, which is measured; --no-timing makes it null).";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "algorithm", po::value<std::string>()->default_value("ring"), "algorithms, comma-separated, or all")(
      "nodes", po::value<std::string>()->default_value("100"), "initial node counts, comma-separated")(
      "nodes-file", po::value<std::string>(), "initial nodes, one \"name [weight]\" a line, instead of --nodes")(
      "trials", po::value<std::string>()->default_value("1"), "seeded node layouts per configuration, 1 to 10,000")(
      "vnodes", po::value<std::string>()->default_value("160"), "ring/bounded: points per node; cassandra: num_tokens; groupcache: replicas")(
      "keys", po::value<std::string>()->default_value("0"),
      "keys per configuration, at most 20,000,000 (0: keys-per-node * nodes)")(
      "keys-per-node", po::value<std::string>()->default_value("10000"),
      "keys per initial node when --keys is 0, 1 to 1,000,000")(
      "seed", po::value<std::string>()->default_value("1"), "seed: keys, random events; 0 to 2^63-1")(
      "events", po::value<std::vector<std::string>>()->composing(), "membership events, in order")(
      "random-events", po::value<std::string>()->default_value("0"),
      "append this many random events, at most 100,000")(
      "replicas", po::value<std::string>()->default_value("1"), "replica-set size R, 1 to 16")(
      "probes", po::value<std::string>()->default_value("21"), "multiprobe: probes per key, comma-separated")(
      "table-size", po::value<std::string>()->default_value("65537"),
      "maglev, envoy-maglev: table sizes M (primes), comma-separated")(
      "epsilon", po::value<std::string>()->default_value("0.25"), "bounded: capacity factors 1 + epsilon, comma-separated")(
      "weights", po::value<std::string>(),
      "node weights by node number, cycling (ring, rendezvous, maglev, bounded, ketama, envoy-ring, envoy-maglev)")(
      "no-timing", "do not time lookups (lookup_ns: null; output byte-identical per seed)")(
      "out", po::value<std::string>()->default_value("-"), "output JSON file (- for stdout)")(
      "quiet,q", "with --out FILE: print nothing but errors (no digest)");
  po::positional_options_description pos;
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  const std::string out = vm["out"].as<std::string>();
  if (auto problem = check_output_path(out, kRingStatsOutput)) {
    std::cerr << "dsim ring-stats: " << problem->message << "\n";
    return problem->exit_code;
  }
  ring::RingStatsRequest r;
  Json result;
  try {
    std::string algorithms = vm["algorithm"].as<std::string>();
    r.algorithms = algorithms == "all" ? ring::placement_algorithms() : split_list({algorithms});
    auto u32_list = [&vm](const char* name, uint64_t min, uint64_t max) {
      std::vector<uint32_t> out;
      for (uint64_t v : parse_unsigned_list_option(std::string("--") + name, vm[name].as<std::string>(), min, max)) {
        out.push_back(static_cast<uint32_t>(v));
      }
      return out;
    };
    r.nodes = u32_list("nodes", 2, 100'000);
    r.trials = static_cast<uint32_t>(*unsigned_option(vm, "trials", 1, 10'000));
    if (vm.count("nodes-file") != 0) {
      if (!vm["nodes"].defaulted()) throw std::invalid_argument("give the nodes with one of --nodes and --nodes-file");
      r.node_list = read_ring_nodes_file("--nodes-file", vm["nodes-file"].as<std::string>());
      if (r.node_list.size() < 2 || r.node_list.size() > 100'000) {
        throw std::invalid_argument("--nodes-file " + vm["nodes-file"].as<std::string>() + ": expected 2 to 100000 nodes, found " +
                                    std::to_string(r.node_list.size()));
      }
      r.nodes = {static_cast<uint32_t>(r.node_list.size())};
    }
    r.vnodes = u32_list("vnodes", 1, 1'000'000);
    r.probes = u32_list("probes", 1, 1'000'000);
    r.table_sizes = u32_list("table-size", 1, 100'000'000);
    r.epsilons = parse_real_list_option("--epsilon", vm["epsilon"].as<std::string>(), 0, 1e6);
    if (vm.count("weights") != 0) {
      r.weights = parse_real_list_option("--weights", vm["weights"].as<std::string>(), 1e-9, 1e9);
    }
    r.keys = *unsigned_option(vm, "keys", 0, kMaxKeys);
    r.keys_per_node = *unsigned_option(vm, "keys-per-node", 1, 1'000'000);
    r.seed = *unsigned_option(vm, "seed", 0, kMaxSeed);
    r.replicas = *unsigned_option(vm, "replicas", 1, 16);
    r.random_events = static_cast<uint32_t>(*unsigned_option(vm, "random-events", 0, 100'000));
    if (vm.count("events") != 0) r.events = split_list(vm["events"].as<std::vector<std::string>>());
    for (uint32_t n : r.nodes) {
      if (r.keys == 0 && n * r.keys_per_node > kMaxKeys) {
        throw std::invalid_argument("--keys-per-node: " + std::to_string(n) + " nodes x " +
                                    std::to_string(r.keys_per_node) + " keys is more than " +
                                    std::to_string(kMaxKeys) + " keys; lower it or give --keys");
      }
    }
    ring::LookupTimer timer = nullptr;
    if (vm.count("no-timing") == 0) timer = time_lookups;
    result = ring::run_ring_stats(r, timer);
  } catch (const std::invalid_argument& e) {
    std::cerr << "dsim ring-stats: " << e.what() << "\n";
    return kBadInput;
  } catch (const UsageError& e) {
    std::cerr << "dsim ring-stats: " << e.what() << "\n";
    return kBadInput;
  }

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
  if (vm.count("quiet") == 0) print_digest(std::cout, result);
  return kOk;
}

}  // namespace dsim::cli
