// PHOLD on SimGrid's S4U API, written the way a SimGrid user would: one actor per node
// receiving tokens from its own mailbox. S4U has no "deliver this message at time t":
// a transfer's duration comes from the platform's links, fixed per link, not drawn per
// message. So each forwarded token travels with a courier actor that sleeps for the drawn
// delay and then puts the token into the destination's mailbox.
//
// (Tried and rejected: sizing each message so that a fat-pipe loopback link takes exactly
// the drawn delay to carry it. Every transfer then joins SimGrid's bandwidth-sharing
// solver, which costs time in the number of transfers in flight: ~100x slower at 64
// nodes.)
//
// usage: dsim_bench_simgrid NODES TOKENS DURATION_NS SEED [--cfg=... ...]
// Prints the same JSON report as `dsim_bench run-one`. Randomness is dsim's Rng with the
// same per-node streams as the other contenders.
#include <unistd.h>

#include <simgrid/s4u.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/phold_workload.h"
#include "bench/process_stats.h"
#include "core/json.h"
#include "core/rng.h"

namespace sg4 = simgrid::s4u;
using dsim::Rng;
using namespace dsim::bench;

namespace {

struct World {
  PholdWorkload w;
  sg4::Host* host = nullptr;
  std::vector<sg4::Mailbox*> mailboxes;
  std::vector<Rng> destination, delay;
  uint64_t events = 0;
};
World world;
int token;  // tokens carry no data: every put sends a pointer to this

void forward(uint32_t from) {
  auto to = static_cast<uint32_t>(world.destination[from].uniform(world.w.nodes));
  int64_t delay_ns = world.delay[from].uniform_int(kPholdDelayMin.ns, kPholdDelayMax.ns);
  double delay_s = static_cast<double>(delay_ns) * 1e-9;
  sg4::Actor::create("courier", world.host, [to, delay_s] {
    sg4::this_actor::sleep_for(delay_s);
    world.mailboxes[to]->put(&token, 0);
  });
}

void node_main(uint32_t self) {
  for (uint64_t t = 0; t < world.w.tokens_per_node; ++t) forward(self);
  sg4::Mailbox* inbox = world.mailboxes[self];
  for (;;) {
    inbox->get<int>();
    ++world.events;
    forward(self);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t baseline_kib = rss_kib();
  double cpu0 = cpu_seconds();
  sg4::Engine engine(&argc, argv);  // consumes the --cfg=... arguments
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s NODES TOKENS DURATION_NS SEED [--cfg=...]\n", argv[0]);
    return 2;
  }
  World& w = world;
  w.w.nodes = std::strtoull(argv[1], nullptr, 10);
  w.w.tokens_per_node = std::strtoull(argv[2], nullptr, 10);
  w.w.duration_ns = std::strtoll(argv[3], nullptr, 10);
  w.w.seed = std::strtoull(argv[4], nullptr, 10);

  // Same-host transfers take no time: the courier's sleep is the whole delay.
  sg4::Engine::set_config("network/loopback-lat:0");
  sg4::NetZone* zone = sg4::create_full_zone("world");
  w.host = zone->create_host("host", 1e9);
  zone->seal();
  for (uint64_t n = 0; n < w.w.nodes; ++n) {
    std::string name = "n" + std::to_string(n);
    w.mailboxes.push_back(sg4::Mailbox::by_name(name));
    w.destination.push_back(Rng::stream(w.w.seed, "node/" + name));
    w.delay.push_back(Rng::stream(w.w.seed, "net/" + name));
    sg4::Actor::create(name, w.host, [n] { node_main(static_cast<uint32_t>(n)); });
  }
  double cpu1 = cpu_seconds(), wall1 = wall_seconds();
  engine.run_until(static_cast<double>(w.w.duration_ns) * 1e-9);
  double cpu2 = cpu_seconds(), wall2 = wall_seconds();

  dsim::Json out = {{"contender", "simgrid"},
                    {"nodes", w.w.nodes},
                    {"tokens_per_node", w.w.tokens_per_node},
                    {"duration_ns", w.w.duration_ns},
                    {"seed", w.w.seed},
                    {"events", w.events},
                    {"run_cpu_s", cpu2 - cpu1},
                    {"run_wall_s", wall2 - wall1},
                    {"setup_cpu_s", cpu1 - cpu0},
                    {"baseline_rss_kib", baseline_kib},
                    {"peak_rss_kib", peak_rss_kib()}};
  std::printf("%s\n", out.dump().c_str());
  std::fflush(stdout);
  // Every node actor is still blocked in get(): tearing the engine down would only
  // measure SimGrid's cleanup of thousands of actors, which nobody waits for.
  _exit(0);
}
