// Hash-ring lookup time per algorithm.
//
// HOOK: the hash-ring family (sim/protocols/ring) was being written by another helper
// when this benchmark was; it did not exist here yet. When it lands, measure each of its
// algorithms here: build a ring of e.g. 1000 nodes, look up a few million keys drawn
// from an Rng stream, and report ns per lookup per algorithm.
#include "bench/micro_benchmarks.h"

namespace dsim::bench {

Json measure_ring_lookups() {
  return Json{{"status", "not measured: sim/protocols/ring did not exist when the benchmark "
                         "was written (hook in sim/bench/ring_lookup_speed.cpp)"}};
}

}  // namespace dsim::bench
