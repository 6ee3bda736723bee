// Constructors of the placement algorithms, one per file; make_placement() picks one.
#pragma once

#include <memory>

#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

// Karger et al. 1997: `vnodes` points per unit of weight on a hash circle.
std::unique_ptr<Placement> make_karger_ring(uint32_t vnodes);
// Thaler & Ravishankar 1998, weighted by the logarithmic method (Schindler 2016).
std::unique_ptr<Placement> make_rendezvous();
// Lamping & Veach 2014, its walk built for the fastest instruction set this CPU runs.
std::unique_ptr<Placement> make_jump();
// The same with its walk built for one instruction set (every build gives the same
// buckets; tests compare each this CPU runs with the published code). REQUIRES: the CPU
// runs `build` (best_jump_build() says which is the fastest it runs).
enum class JumpBuild { kPortable, kSse41, kFma };
JumpBuild best_jump_build();
std::unique_ptr<Placement> make_jump(JumpBuild build);
// Eisenbud et al. 2016 (Maglev), table of prime size `table_size`.
std::unique_ptr<Placement> make_maglev(uint32_t table_size);
// Mirrokni, Thorup & Zadimoghaddam 2018, on a Karger ring of `vnodes` points per node.
std::unique_ptr<Placement> make_bounded(uint32_t vnodes, double epsilon);
// Appleton & Eisenbud 2015.
std::unique_ptr<Placement> make_multiprobe(uint32_t probes);
// The design of the project's seed document (section 4.1), flaws included.
std::unique_ptr<Placement> make_seed();

}  // namespace dsim::ring
