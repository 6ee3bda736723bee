// json_bench: what a JSON object costs to build and drop, nlohmann's initializer list
// against json_object() (sim/core/json_object.h), for the six-field shape of a typical
// trace event. Side by side in one run: read the ratio, not the absolute times.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "core/json_object.h"

namespace dsim {
namespace {

struct Fields {
  std::string tx = "coord.0.1234";
  std::string request = "client1.0.57";
  std::string client = "client1";
  int64_t hops = 2;
  int64_t forces = 1;
};

void BM_InitializerList(benchmark::State& state) {
  Fields f;
  for (auto _ : state) {
    Json j = Json{{"tx", f.tx},     {"request", f.request}, {"client", f.client},
                  {"kind", "transfer"}, {"hops", f.hops},   {"forces", f.forces}};
    benchmark::DoNotOptimize(j);
  }
}
BENCHMARK(BM_InitializerList);

void BM_JsonObject(benchmark::State& state) {
  Fields f;
  for (auto _ : state) {
    Json j = json_object("tx", f.tx, "request", f.request, "client", f.client, "kind", "transfer",
                         "hops", f.hops, "forces", f.forces);
    benchmark::DoNotOptimize(j);
  }
}
BENCHMARK(BM_JsonObject);

}  // namespace
}  // namespace dsim

BENCHMARK_MAIN();
