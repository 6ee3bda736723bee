// dsim_bench: PHOLD side by side on dsim (tracing off and on), a bare priority-queue loop,
// SimGrid and plain Python, for a range of node counts; plus memory per node and per
// pending event, trace-writing speed, seed-sweep speed and hash-ring lookups; and each
// protocol family's fault scenario side by side with PHOLD (--families-only: that alone).
// Writes
// DIR/results.json and DIR/events_per_second.png. See sim/bench/README.md.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bench/bench_report.h"
#include "bench/child_process.h"
#include "bench/child_run.h"
#include "bench/families_part.h"
#include "bench/family_run.h"
#include "bench/machine_info.h"
#include "bench/micro_benchmarks.h"
#include "bench/phold_sweep.h"
#include "bench/process_stats.h"
#include "core/json_object.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace dsim;
using namespace dsim::bench;

namespace {

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<uint64_t> split_numbers(const std::string& list) {
  std::vector<uint64_t> out;
  for (const std::string& s : split(list)) out.push_back(std::stoull(s));
  return out;
}

// `dsim_bench run-one CONTENDER NODES TOKENS DURATION_NS SEED SCRATCH_DIR`: one child run.
int run_one_command(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: dsim_bench run-one CONTENDER NODES TOKENS DURATION_NS SEED SCRATCH_DIR\n";
    return 2;
  }
  PholdWorkload w;
  w.nodes = std::stoull(argv[3]);
  w.tokens_per_node = std::stoull(argv[4]);
  w.duration_ns = std::stoll(argv[5]);
  w.seed = std::stoull(argv[6]);
  std::cout << run_one(argv[2], w, argv[7]).dump() << std::endl;
  return 0;
}

// `dsim_bench run-family SCENARIO CPU_BUDGET_S [TRACE_DIR]`: one family's child run.
int run_family_command(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: dsim_bench run-family SCENARIO CPU_BUDGET_S [TRACE_DIR]\n";
    return 2;
  }
  FamilyRunSettings s;
  s.scenario_file = argv[2];
  s.cpu_budget_s = std::stod(argv[3]);
  if (argc == 5) s.trace_dir = argv[4];
  std::cout << run_family(s).dump() << std::endl;
  return 0;
}

std::string source_path(const std::string& relative) {
  return relative.empty() || relative[0] == '/' ? relative
                                                 : std::string(DSIM_BENCH_SOURCE_ROOT "/") + relative;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "run-one") return run_one_command(argc, argv);
  if (argc > 1 && std::string(argv[1]) == "run-family") return run_family_command(argc, argv);

  po::options_description opts(
      "usage: dsim_bench [--out DIR] [options]\n"
      "Runs the whole benchmark (a few minutes on 2 cores); see sim/bench/README.md.\noptions");
  opts.add_options()("help,h", "show this help")(
      "out", po::value<std::string>()->default_value("bench-results"), "output folder")(
      "nodes", po::value<std::string>()->default_value("64,1000,10000,100000,1000000"),
      "node counts, comma-separated")(
      "tokens", po::value<uint64_t>()->default_value(8), "tokens per node")(
      "seed", po::value<uint64_t>()->default_value(1), "seed of every run")(
      "contenders", po::value<std::string>()->default_value("dsim,dsim_trace,bare_loop,simgrid,python"),
      "which contenders to run (simgrid only where it was built)")(
      "memory-nodes", po::value<std::string>()->default_value("100000,1000000"),
      "node counts for the per-node / per-event memory split")(
      "time-budget", po::value<double>()->default_value(60),
      "a contender stops at the node count where one run would take longer (CPU s)")(
      "quick", "a smoke run: small node counts and event budgets, seconds in all")(
      "scratch", po::value<std::string>()->default_value(fs::temp_directory_path().string()),
      "where trace files are written (and deleted)")(
      "sweep-scenario",
      po::value<std::string>()->default_value(DSIM_BENCH_SOURCE_ROOT "/scenarios/heartbeat-random-faults.json"),
      "scenario for the seeds-per-second figure")("no-plot", "skip the plot")(
      "families-only", "run only the families part (a minute or two)")(
      "family-scenarios",
      po::value<std::string>()->default_value(
          "scenarios/phold.json,scenarios/heartbeat-random-faults.json,scenarios/ring/rebalance.json,"
          "scenarios/locks/fenced-random-faults.json,scenarios/2pc/bank-random-faults.json"),
      "the families part's scenarios, comma-separated, PHOLD's first (paths from the source root)")(
      "family-budget", po::value<double>()->default_value(2),
      "CPU seconds of seeds per family run")(
      "family-rounds", po::value<int>()->default_value(5),
      "runs per family, interleaved; the ratio to PHOLD is the median of the rounds'")(
      "trace-scenario", po::value<std::string>()->default_value("scenarios/2pc/bank-random-faults.json"),
      "run with the trace on, for trace lines per second")(
      "sweep-seeds", po::value<uint64_t>()->default_value(400),
      "seeds of `dsim sweep --jobs 2` over the trace scenario (0: skip)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dsim_bench: " << e.what() << "\n" << opts << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  bool quick = vm.count("quick") != 0;

  SweepSettings s;
  s.node_counts = split_numbers(quick ? "64,1000,10000" : vm["nodes"].as<std::string>());
  s.tokens_per_node = vm["tokens"].as<uint64_t>();
  s.seed = vm["seed"].as<uint64_t>();
  s.time_budget_s = vm["time-budget"].as<double>();
  if (quick) {
    s.events_native = 300'000;
    s.events_trace = 100'000;
    s.events_simgrid = 10'000;
    s.events_python = 50'000;
    s.repeats_small = 1;
  }
  s.self_exe = fs::read_symlink("/proc/self/exe").string();
  s.simgrid_exe = own_directory() + "/dsim_bench_simgrid";
  s.python = DSIM_BENCH_PYTHON;
  s.python_script = DSIM_BENCH_SOURCE_DIR "/phold_heapq.py";
  s.scratch_dir = vm["scratch"].as<std::string>();
  // Generous to SimGrid: small actor stacks without guard pages (each courier is a short
  // lambda) make its actor creation several times cheaper than the defaults.
  s.simgrid_config = {"--cfg=contexts/stack-size:32", "--cfg=contexts/guard-size:0",
                      "--log=root.thresh:warning"};
  for (const std::string& c : split(vm["contenders"].as<std::string>())) {
    if (c == kSimGrid && !fs::exists(s.simgrid_exe)) {
      std::cerr << "dsim_bench: SimGrid contender not built (libsimgrid-dev not found); skipped\n";
      continue;
    }
    s.contenders.push_back(c);
  }

  fs::path out_dir = vm["out"].as<std::string>();
  fs::create_directories(out_dir);
  Json results = Json::object();
  results["format"] = "dsim-bench";
  results["version"] = 1;
  results["machine"] = machine_info();
  results["settings"] = json_object(
      "node_counts", s.node_counts,
      "tokens_per_node", s.tokens_per_node,
      "seed", s.seed,
      "delay", "uniform [1ms, 10ms]",
      "min_duration_ns", s.min_duration_ns,
      "events_native", s.events_native,
      "events_trace", s.events_trace,
      "events_simgrid", s.events_simgrid,
      "events_python", s.events_python,
      "time_budget_s", s.time_budget_s,
      "contenders", s.contenders,
      "simgrid_config", s.simgrid_config,
      "rates", "events per CPU-second of the timed run (wall also given)");
  double wall0 = wall_seconds();
  FamiliesSettings fam;
  for (const std::string& f : split(vm["family-scenarios"].as<std::string>())) {
    fam.scenarios.push_back(source_path(f));
  }
  fam.rounds = quick ? 1 : vm["family-rounds"].as<int>();
  if (fam.rounds < 1) {
    std::cerr << "dsim_bench: --family-rounds must be at least 1 (got " << fam.rounds << ")\n";
    return 2;
  }
  fam.cpu_budget_s = quick ? 0.3 : vm["family-budget"].as<double>();
  fam.trace_scenario = source_path(vm["trace-scenario"].as<std::string>());
  fam.sweep_scenario = fam.trace_scenario;
  fam.sweep_seeds = quick ? 20 : vm["sweep-seeds"].as<uint64_t>();
  fam.self_exe = s.self_exe;
  fam.dsim_exe = DSIM_BENCH_DSIM_EXE;
  fam.scratch_dir = s.scratch_dir;
  bool families_only = vm.count("families-only") != 0;
  results["settings"]["families"] = json_object(
      "only", families_only,
      "scenarios", fam.scenarios,
      "rounds", fam.rounds,
      "cpu_budget_s", fam.cpu_budget_s,
      "trace_scenario", fam.trace_scenario,
      "sweep_seeds", fam.sweep_seeds,
      "sweep_jobs", fam.sweep_jobs,
      "rates", "events per CPU-second of run_scenario() over seeds 1, 2, ..., checks on, trace off",
      "bytes_per_message",
      "mean over seed 1's messages of what Simulation::live_bytes() counts for one in flight");
  if (!families_only) {
    results["phold"] = run_phold_sweep(s);
  }
  results["families"] = run_families_part(fam);
  if (families_only) {
    results["targets"] = judge_targets(results);
    results["machine"]["load_average_at_end"] = first_line_of("/proc/loadavg", "");
    results["machine"]["benchmark_wall_s"] = wall_seconds() - wall0;
    fs::path json_path = out_dir / "results.json";
    std::ofstream(json_path) << results.dump(2) << "\n";
    std::string table = machine_heading(results) + format_families_table(results) + format_targets(results);
    std::ofstream(out_dir / "results.txt") << table;
    std::cout << table << "\nwrote " << json_path.string() << "\n";
    return 0;
  }
  std::vector<uint64_t> memory_nodes;
  for (uint64_t n : split_numbers(quick ? "10000" : vm["memory-nodes"].as<std::string>())) {
    memory_nodes.push_back(n);
  }
  results["memory"] = run_memory_split(s, memory_nodes);
  std::cerr << "trace writer ...\n";
  results["trace_writer"] = measure_trace_writer(s.scratch_dir, quick ? 200'000 : 5'000'000);
  std::cerr << "seed sweep ...\n";
  results["seed_sweep"] =
      measure_seed_sweep(vm["sweep-scenario"].as<std::string>(), quick ? 0.5 : 5.0, quick ? 3 : 20);
  std::cerr << "hash-ring lookups ...\n";
  results["ring_lookup"] = measure_ring_lookups({100, 1000, 10000}, quick ? 0.02 : 0.2);
  results["targets"] = judge_targets(results);
  results["machine"]["load_average_at_end"] = first_line_of("/proc/loadavg", "");
  results["machine"]["benchmark_wall_s"] = wall_seconds() - wall0;

  fs::path json_path = out_dir / "results.json";
  std::ofstream(json_path) << results.dump(2) << "\n";
  std::string table = format_table(results);
  std::ofstream(out_dir / "results.txt") << table;
  std::cout << table << "\nwrote " << json_path.string() << "\n";
  if (vm.count("no-plot") == 0) {
    fs::path png = out_dir / "events_per_second.png";
    std::string error;
    std::vector<std::string> plot = {DSIM_BENCH_PYTHON, DSIM_BENCH_SOURCE_DIR "/plot_bench.py",
                                     json_path.string(), png.string()};
    if (run_child(plot, error)) {
      std::cout << "wrote " << png.string() << "\n";
    } else {
      std::cerr << "dsim_bench: plot failed (" << error << ")\n";
    }
  }
  return 0;
}
