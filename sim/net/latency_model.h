// One-way delay of a link, drawn per message. Reordering is not modelled separately: it
// follows from two messages drawing different delays.
#pragma once

#include "core/rng.h"
#include "core/time.h"

namespace dsim {

struct LatencyModel {
  enum class Kind { kConstant, kUniform, kExponential, kLognormal, kPareto };
  Kind kind = Kind::kConstant;
  Duration value = Duration::millis(1);  // constant: the delay; exponential: the mean;
                                         // lognormal: the median; pareto: the scale
  Duration max = Duration::zero();       // uniform: upper bound (value is the lower)
  double shape = 1.0;                    // lognormal: sigma; pareto: tail index alpha
  Duration floor = Duration::zero();     // added to every draw (propagation delay)
  Duration cap = Duration::seconds(60);  // no single delay exceeds this (bounds the tail)

  Duration sample(Rng& rng) const;
  // Analytic mean (before the cap), for tests and documentation.
  double mean_ns() const;
};

}  // namespace dsim
