// dsim ring lookup: where given keys go under one placement algorithm or real-system
// layout, for given nodes. Prints one JSON line per key, in input order:
//   {"key": "user:42", "owner": "cache-b", "replicas": ["cache-b", "cache-a"]}
// Everything is read and checked before anything is printed: bad input prints one error
// naming the option or the file and line, exits 2 and prints no line.
#include <charconv>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/number_option.h"
#include "cli/ring_nodes_file.h"
#include "protocols/ring/placement/placement.h"

namespace dsim::cli {
namespace {

struct BadInput : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// The shared checked parsers (cli/number_option.h), reporting as this command's bad input.
uint64_t parse_u64(const std::string& what, const std::string& text, uint64_t min, uint64_t max) {
  try {
    return parse_unsigned_option(what, text, min, max);
  } catch (const UsageError& e) {
    throw BadInput(e.what());
  }
}

double parse_positive(const std::string& what, const std::string& text) {
  try {
    return parse_real_option(what, text, std::numeric_limits<double>::min(), 1e12);
  } catch (const UsageError& e) {
    throw BadInput(e.what());
  }
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

// The lines of a file, without their line ends, each with its line number; blank lines
// dropped, and with `comments` lines starting with '#' too.
std::vector<std::pair<size_t, std::string>> read_lines(const std::string& option, const std::string& path,
                                                       bool comments) {
  std::ifstream in(path);
  if (!in) throw BadInput(option + " " + path + ": cannot be read");
  std::vector<std::pair<size_t, std::string>> out;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || (comments && line[first] == '#')) continue;
    out.emplace_back(number, line);
  }
  if (in.bad()) throw BadInput(option + " " + path + ": read error");
  return out;
}

// --nodes-file: "name [weight]" a line. --node-names: names, weight 1.
std::vector<ring::Member> read_nodes(const po::variables_map& vm) {
  const bool file = vm.count("nodes-file") != 0, names = vm.count("node-names") != 0;
  if (file == names) throw BadInput("give the nodes with exactly one of --nodes-file FILE and --node-names a,b,c");
  std::vector<ring::Member> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& name, double weight, const std::string& where) {
    if (name.empty()) throw BadInput(where + ": empty node name");
    if (!seen.insert(name).second) throw BadInput(where + ": node \"" + name + "\" is listed twice");
    out.push_back(ring::Member{static_cast<ring::NodeTag>(out.size()), name, weight});
  };
  if (names) {
    for (const std::string& n : split_commas(vm["node-names"].as<std::string>())) add(n, 1.0, "--node-names");
  } else {
    out = read_ring_nodes_file("--nodes-file", vm["nodes-file"].as<std::string>());
  }
  if (out.empty()) throw BadInput("no nodes given");
  if (out.size() > 1'000'000) throw BadInput("at most 1,000,000 nodes");
  return out;
}

std::vector<std::string> read_keys(const po::variables_map& vm) {
  const bool file = vm.count("keys-file") != 0, list = vm.count("keys") != 0;
  if (file == list) throw BadInput("give the keys with exactly one of --keys-file FILE and --keys k1,k2");
  std::vector<std::string> out;
  if (list) {
    out = split_commas(vm["keys"].as<std::string>());
  } else {
    // Every non-blank line is a key, as it is ('#' included: keys are data).
    for (auto& [number, line] : read_lines("--keys-file", vm["keys-file"].as<std::string>(), /*comments=*/false)) {
      out.push_back(line);
    }
  }
  if (out.empty()) throw BadInput("no keys given");
  return out;
}

ring::PlacementOptions read_options(const po::variables_map& vm) {
  ring::PlacementOptions o;
  o.algorithm = vm["algorithm"].as<std::string>();
  o.vnodes = static_cast<uint32_t>(parse_u64("--vnodes", vm["vnodes"].as<std::string>(), 1, 100000));
  o.table_size = static_cast<uint32_t>(parse_u64("--table-size", vm["table-size"].as<std::string>(), 3, 50'000'000));
  o.probes = static_cast<uint32_t>(parse_u64("--probes", vm["probes"].as<std::string>(), 1, 1024));
  o.epsilon = parse_positive("--epsilon", vm["epsilon"].as<std::string>());
  o.min_ring_size = parse_u64("--min-ring-size", vm["min-ring-size"].as<std::string>(), 1, 8388608);
  o.max_ring_size = parse_u64("--max-ring-size", vm["max-ring-size"].as<std::string>(), 1, 8388608);
  o.token_seed = parse_u64("--token-seed", vm["token-seed"].as<std::string>(), 0, UINT64_MAX);
  if (std::string problem = ring::validate_options(o); !problem.empty()) throw BadInput(problem);
  return o;
}

int lookup(int argc, char** argv) {
  const std::string usage =
      "usage: dsim ring lookup --algorithm A (--nodes-file FILE | --node-names a,b,c)\n"
      "                        (--keys-file FILE | --keys k1,k2) [--u64-keys] [--replicas R] ...\n"
      "Prints where each key goes, one JSON line per key in input order:\n"
      "  {\"key\": ..., \"owner\": ..., \"replicas\": [...]}\n"
      "A nodes file has one \"name [weight]\" a line ('#' starts a comment). With --u64-keys\n"
      "each key is a decimal 64-bit number used as the key's position as is (jump's key,\n"
      "Envoy's request hash; ketama and groupcache keep their 32-bit hashes in the top 32\n"
      "bits). Blank lines are skipped. Bounded loads place the listed keys together, in order.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "algorithm", po::value<std::string>()->default_value("ring"), "placement algorithm or layout")(
      "nodes-file", po::value<std::string>(), "nodes, one \"name [weight]\" a line")(
      "node-names", po::value<std::string>(), "nodes, comma-separated, weight 1")(
      "keys-file", po::value<std::string>(), "keys, one a line")(
      "keys", po::value<std::string>(), "keys, comma-separated")(
      "u64-keys", "keys are decimal 64-bit positions, not hashed")(
      "replicas", po::value<std::string>()->default_value("1"), "replica-list length R")(
      "vnodes", po::value<std::string>()->default_value("160"), "ring/bounded points; cassandra num_tokens; groupcache replicas")(
      "table-size", po::value<std::string>()->default_value("65537"), "maglev, envoy-maglev: table size (prime)")(
      "probes", po::value<std::string>()->default_value("21"), "multiprobe: probes per key")(
      "epsilon", po::value<std::string>()->default_value("0.25"), "bounded: capacity factor 1 + epsilon")(
      "min-ring-size", po::value<std::string>()->default_value("1024"), "envoy-ring: minimum ring size")(
      "max-ring-size", po::value<std::string>()->default_value("8388608"), "envoy-ring: maximum ring size")(
      "token-seed", po::value<std::string>()->default_value("1"), "cassandra: seed of the random tokens");
  po::positional_options_description pos;
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  std::string text;
  try {
    const ring::PlacementOptions options = read_options(vm);
    const size_t replicas = parse_u64("--replicas", vm["replicas"].as<std::string>(), 1, 1024);
    const std::vector<ring::Member> nodes = read_nodes(vm);
    const std::vector<std::string> keys = read_keys(vm);
    const bool raw = vm.count("u64-keys") != 0;
    auto placement = ring::make_placement(options);
    if (!placement->supports_weights()) {
      for (const ring::Member& m : nodes) {
        if (m.weight != 1.0) throw BadInput(options.algorithm + " has no weights, but node \"" + m.name + "\" has one");
      }
    }
    placement->add_all(nodes);
    std::vector<uint64_t> positions;
    for (const std::string& k : keys) {
      positions.push_back(raw ? parse_u64("--u64-keys: key", k, 0, UINT64_MAX) : placement->hash_key(k));
    }
    std::vector<ring::NodeTag> owners;
    placement->assign(positions, replicas, owners);
    const size_t stride = std::min(replicas, nodes.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      Json line = Json::object();
      if (raw) {
        line["key"] = positions[i];
      } else {
        line["key"] = keys[i];
      }
      line["owner"] = nodes[owners[i * stride]].name;
      Json list = Json::array();
      for (size_t j = 0; j < stride; ++j) list.push_back(nodes[owners[i * stride + j]].name);
      line["replicas"] = std::move(list);
      text += line.dump() + "\n";
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "dsim ring lookup: " << e.what() << "\n";
    return kBadInput;
  }
  std::cout << text << std::flush;
  return std::cout ? kOk : kIoError;
}

}  // namespace

int ring_command(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "lookup") return lookup(argc - 1, argv + 1);
  const char* usage = "usage: dsim ring lookup ... (dsim ring lookup --help)\n";
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << usage;
    return kOk;
  }
  std::cerr << usage;
  return kBadInput;
}

}  // namespace dsim::cli
