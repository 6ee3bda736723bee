// Trace-writing speed: the lines are built exactly as Simulation::record_network builds
// a send and a deliver line, so the figure is the cost the simulator pays per event.
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

#include "bench/micro_benchmarks.h"
#include "bench/process_stats.h"
#include "core/json_object.h"
#include "trace/json_line.h"
#include "trace/trace_writer.h"

namespace dsim::bench {

Json measure_trace_writer(const std::string& scratch_dir, uint64_t lines) {
  std::string path = (std::filesystem::path(scratch_dir) /
                      ("dsim_bench_writer_" + std::to_string(getpid()) + ".jsonl"))
                         .string();
  std::string error;
  double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  auto writer = TraceWriter::open(path, UINT64_MAX, error);
  if (!writer) throw std::runtime_error(error);
  TextBuffer buffer;
  const std::string from = "n17", to = "n4242", type = "token";
  for (uint64_t i = 0; i < lines; ++i) {
    JsonLine line(buffer);
    line.add("t_ns", static_cast<int64_t>(1'000'000 + i * 731)).add("ev", i % 2 ? "deliver" : "send");
    line.add("from", from).add("to", to).add("id", i / 2 + 1).add("msg", type);
    writer->write_event(line.finish());
  }
  uint64_t bytes = writer->bytes_written();
  if (!writer->close(error)) throw std::runtime_error(error);
  double cpu1 = cpu_seconds(), wall1 = wall_seconds();
  std::filesystem::remove(path);
  double cpu_s = cpu1 - cpu0;
  return json_object("lines", lines,
                     "bytes", bytes,
                     "cpu_s", cpu_s,
                     "wall_s", wall1 - wall0,
                     "events_per_cpu_s", static_cast<double>(lines) / cpu_s,
                     "mib_per_cpu_s", static_cast<double>(bytes) / cpu_s / (1 << 20));
}

}  // namespace dsim::bench
